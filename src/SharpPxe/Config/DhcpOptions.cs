using System.Net;

namespace SharpPxe.Config;

/// <summary>The <c>dhcp</c> section.</summary>
public sealed class DhcpOptions
{
    public DhcpMode Mode { get; set; }

    public IPAddress ServerIp { get; set; } = IPAddress.Any;

    public int ServerPort { get; set; } = 67;

    public IPAddress Begin { get; set; } = IPAddress.Any;

    public IPAddress End { get; set; } = IPAddress.Any;

    public IPAddress Subnet { get; set; } = IPAddress.Any;

    public IPAddress Router { get; set; } = IPAddress.Any;

    public IReadOnlyList<IPAddress> Dns { get; set; } = [];

    /// <summary>Where broadcast replies go; null means 255.255.255.255.</summary>
    public IPAddress? Broadcast { get; set; }

    public IPAddress FileServer { get; set; } = IPAddress.Any;

    public bool Whitelist { get; set; }

    public string StaticConfig { get; set; } = string.Empty;

    public string LeasesFile { get; set; } = string.Empty;
}
