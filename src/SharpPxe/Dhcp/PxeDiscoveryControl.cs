namespace SharpPxe.Dhcp;

/// <summary>PXE_DISCOVERY_CONTROL, vendor sub-option 6 (PXE 2.1 specification, Table 2-1).</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1028:Enum Storage should be Int32",
    Justification = "The sub-option carries one octet.")]
public enum PxeDiscoveryControl : byte
{
    /// <summary>All discovery methods allowed.</summary>
    None = 0,

    /// <summary>Bit 0: do not use broadcast discovery.</summary>
    DisableBroadcast = 1,

    /// <summary>Bit 1: do not use multicast discovery.</summary>
    DisableMulticast = 2,

    /// <summary>Bit 2: only use and accept servers in PXE_BOOT_SERVERS (sub-option 8).</summary>
    UseBootServerListOnly = 4,

    /// <summary>
    /// Bit 3: when the offer names a boot file, download it directly: no prompt, menu or discovery.
    /// </summary>
    DownloadBootFile = 8,
}
