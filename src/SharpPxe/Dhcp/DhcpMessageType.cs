namespace SharpPxe.Dhcp;

/// <summary>The value of option 53 (RFC 2132 §9.6 and later RFCs).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1028:Enum Storage should be Int32",
    Justification = "Option 53 carries one octet (RFC 2132 §9.6).")]
public enum DhcpMessageType : byte
{
    /// <summary>Not a value on the wire; means "no option 53".</summary>
    None = 0,

    /// <summary>DHCPDISCOVER, RFC 2131 §3.1.</summary>
    Discover = 1,

    /// <summary>DHCPOFFER, RFC 2131 §3.1.</summary>
    Offer = 2,

    /// <summary>DHCPREQUEST, RFC 2131 §3.1.</summary>
    Request = 3,

    /// <summary>DHCPDECLINE, RFC 2131 §3.1.</summary>
    Decline = 4,

    /// <summary>DHCPACK, RFC 2131 §3.1.</summary>
    Ack = 5,

    /// <summary>DHCPNAK, RFC 2131 §3.1.</summary>
    Nak = 6,

    /// <summary>DHCPRELEASE, RFC 2131 §3.1.</summary>
    Release = 7,

    /// <summary>DHCPINFORM, RFC 2131 §3.4.</summary>
    Inform = 8,

    /// <summary>DHCPFORCERENEW, RFC 3203.</summary>
    ForceRenew = 9,

    /// <summary>DHCPLEASEQUERY, RFC 4388.</summary>
    LeaseQuery = 10,

    /// <summary>DHCPLEASEUNASSIGNED, RFC 4388.</summary>
    LeaseUnassigned = 11,

    /// <summary>DHCPLEASEUNKNOWN, RFC 4388.</summary>
    LeaseUnknown = 12,

    /// <summary>DHCPLEASEACTIVE, RFC 4388.</summary>
    LeaseActive = 13,

    /// <summary>DHCPBULKLEASEQUERY, RFC 6926.</summary>
    BulkLeaseQuery = 14,

    /// <summary>DHCPLEASEQUERYDONE, RFC 6926.</summary>
    LeaseQueryDone = 15,

    /// <summary>DHCPACTIVELEASEQUERY, RFC 7724.</summary>
    ActiveLeaseQuery = 16,

    /// <summary>DHCPLEASEQUERYSTATUS, RFC 7724.</summary>
    LeaseQueryStatus = 17,

    /// <summary>DHCPTLS, RFC 7724.</summary>
    Tls = 18,
}
