namespace SharpPxe.Dhcp;

/// <summary>
/// DHCP option codes (the "tag" octet of an option), named after the RFC that defines them.
/// Codes not listed here are still parsed and kept raw; cast the byte to this type.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1028:Enum Storage should be Int32",
    Justification = "The option code is one octet on the wire (RFC 2132 §2).")]
public enum DhcpOptionCode : byte
{
    /// <summary>Pad, RFC 2132 §3.1. One octet, no length; used for alignment and padding.</summary>
    Pad = 0,

    /// <summary>Subnet mask, RFC 2132 §3.3.</summary>
    SubnetMask = 1,

    /// <summary>Time offset from UTC in seconds, RFC 2132 §3.4.</summary>
    TimeOffset = 2,

    /// <summary>Routers on the client's subnet, in order of preference, RFC 2132 §3.5.</summary>
    Router = 3,

    /// <summary>Time servers (RFC 868), RFC 2132 §3.6.</summary>
    TimeServer = 4,

    /// <summary>IEN 116 name servers, RFC 2132 §3.7.</summary>
    NameServer = 5,

    /// <summary>Domain name servers (DNS), RFC 2132 §3.8.</summary>
    DomainNameServer = 6,

    /// <summary>Log servers, RFC 2132 §3.9.</summary>
    LogServer = 7,

    /// <summary>Host name of the client, RFC 2132 §3.14.</summary>
    HostName = 12,

    /// <summary>Boot file size in 512-octet blocks, RFC 2132 §3.15.</summary>
    BootFileSize = 13,

    /// <summary>Domain name, RFC 2132 §3.17.</summary>
    DomainName = 15,

    /// <summary>Root path, RFC 2132 §3.19.</summary>
    RootPath = 17,

    /// <summary>Extensions path, RFC 2132 §3.20.</summary>
    ExtensionsPath = 18,

    /// <summary>Interface MTU, RFC 2132 §5.1.</summary>
    InterfaceMtu = 26,

    /// <summary>Broadcast address, RFC 2132 §5.3.</summary>
    BroadcastAddress = 28,

    /// <summary>Static routes, RFC 2132 §5.8.</summary>
    StaticRoute = 33,

    /// <summary>NTP servers, RFC 2132 §8.3.</summary>
    NtpServers = 42,

    /// <summary>Vendor-specific information (PXE sub-options for PXEClient), RFC 2132 §8.4.</summary>
    VendorSpecific = 43,

    /// <summary>Requested IP address, RFC 2132 §9.1.</summary>
    RequestedIpAddress = 50,

    /// <summary>IP address lease time in seconds, RFC 2132 §9.2.</summary>
    LeaseTime = 51,

    /// <summary>Option overload: options continue in file (1), sname (2) or both (3), RFC 2132 §9.3.</summary>
    OptionOverload = 52,

    /// <summary>DHCP message type, RFC 2132 §9.6.</summary>
    MessageType = 53,

    /// <summary>Server identifier, RFC 2132 §9.7.</summary>
    ServerIdentifier = 54,

    /// <summary>Parameter request list, RFC 2132 §9.8.</summary>
    ParameterRequestList = 55,

    /// <summary>Message (error text), RFC 2132 §9.9.</summary>
    Message = 56,

    /// <summary>Maximum DHCP message size the sender accepts, RFC 2132 §9.10.</summary>
    MaxMessageSize = 57,

    /// <summary>Renewal (T1) time in seconds, RFC 2132 §9.11.</summary>
    RenewalTime = 58,

    /// <summary>Rebinding (T2) time in seconds, RFC 2132 §9.12.</summary>
    RebindingTime = 59,

    /// <summary>Vendor class identifier ("PXEClient:Arch:…", "HTTPClient"), RFC 2132 §9.13.</summary>
    VendorClassIdentifier = 60,

    /// <summary>Client identifier, RFC 2132 §9.14.</summary>
    ClientIdentifier = 61,

    /// <summary>TFTP server name, RFC 2132 §9.4.</summary>
    TftpServerName = 66,

    /// <summary>Boot file name, RFC 2132 §9.5.</summary>
    BootfileName = 67,

    /// <summary>User class ("iPXE"), RFC 3004 §4.</summary>
    UserClass = 77,

    /// <summary>Rapid commit, RFC 4039 §4.</summary>
    RapidCommit = 80,

    /// <summary>Client FQDN, RFC 4702 §2.</summary>
    ClientFqdn = 81,

    /// <summary>Relay agent information, RFC 3046 §2. Kept raw and echoed in replies (§2.2).</summary>
    RelayAgentInformation = 82,

    /// <summary>Client system architecture type, RFC 4578 §2.1.</summary>
    ClientSystemArchitecture = 93,

    /// <summary>Client network interface identifier (UNDI version), RFC 4578 §2.2.</summary>
    ClientNetworkInterfaceId = 94,

    /// <summary>Client machine identifier (UUID/GUID), RFC 4578 §2.3.</summary>
    ClientMachineId = 97,

    /// <summary>Domain search list, RFC 3397 §2.</summary>
    DomainSearch = 119,

    /// <summary>Classless static routes, RFC 3442.</summary>
    ClasslessStaticRoute = 121,

    /// <summary>iPXE encapsulated options (Etherboot, IANA tentative assignment).</summary>
    IpxeEncapsulated = 175,

    /// <summary>PXELINUX magic (obsolete), RFC 5071 §4.</summary>
    PxelinuxMagic = 208,

    /// <summary>PXELINUX configuration file, RFC 5071 §5.</summary>
    PxelinuxConfigFile = 209,

    /// <summary>PXELINUX path prefix, RFC 5071 §6.</summary>
    PxelinuxPathPrefix = 210,

    /// <summary>PXELINUX reboot time, RFC 5071 §7.</summary>
    PxelinuxRebootTime = 211,

    /// <summary>End of the options in this area, RFC 2132 §3.2. One octet, no length.</summary>
    End = 255,
}
