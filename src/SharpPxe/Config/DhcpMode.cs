namespace SharpPxe.Config;

/// <summary>How the DHCP service runs.</summary>
public enum DhcpMode
{
    /// <summary>No DHCP service.</summary>
    Off,

    /// <summary>A full DHCP server that hands out addresses (PyPXE's --dhcp).</summary>
    Full,

    /// <summary>
    /// ProxyDHCP: boot information only, beside the network's own DHCP server (PyPXE's --dhcp-proxy).
    /// </summary>
    Proxy,
}
