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

    public int LeaseTime { get; set; } = 86400;

    /// <summary>T1 in seconds; 0 means half the lease time (RFC 2131 §4.4.5).</summary>
    public int RenewalTime { get; set; }

    /// <summary>T2 in seconds; 0 means seven eighths of the lease time (RFC 2131 §4.4.5).</summary>
    public int RebindingTime { get; set; }

    public int OfferHold { get; set; } = 30;

    public int DeclineTime { get; set; } = 3600;

    public bool ServeAll { get; set; }

    public LeaseSync LeaseSync { get; set; }

    public bool ProxyBootServer { get; set; }

    public int ProxyPort { get; set; } = 4011;

    public bool IpxeOption175 { get; set; }

    public int EffectiveRenewalTime => RenewalTime > 0 ? RenewalTime : LeaseTime / 2;

    public int EffectiveRebindingTime => RebindingTime > 0 ? RebindingTime : (int)(LeaseTime * 7L / 8);
}
