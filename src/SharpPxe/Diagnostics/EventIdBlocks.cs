namespace SharpPxe.Diagnostics;

/// <summary>
/// Each component logs with event ids from its own block, so an id names its component and stays stable across
/// versions. A test enumerates every [LoggerMessage] in the program and checks that ids are unique and that each
/// lies in its component's block.
/// </summary>
public static class EventIdBlocks
{
    /// <summary>Ids per block.</summary>
    public const int Size = 100;

    /// <summary>The host: start, stop, service failures, the counter summary (1-99).</summary>
    public const int Hosting = 0;

    /// <summary>The command line and configuration (100-199).</summary>
    public const int Config = 100;

    /// <summary>DHCP and ProxyDHCP (1000-1099).</summary>
    public const int Dhcp = 1000;

    /// <summary>TFTP (1100-1199).</summary>
    public const int Tftp = 1100;

    /// <summary>HTTP (1200-1299).</summary>
    public const int Http = 1200;

    /// <summary>NBD (1300-1399).</summary>
    public const int Nbd = 1300;

    /// <summary>The lease store (1400-1499).</summary>
    public const int Leases = 1400;

    /// <summary>The boot policy (1500-1599).</summary>
    public const int Boot = 1500;

    /// <summary>The boot timeline per machine (1600-1699).</summary>
    public const int Events = 1600;

    /// <summary>The block for a logger category, by the component namespace it starts with.</summary>
    public static int? ForNamespace(string? ns) => ns switch
    {
        "SharpPxe.Hosting" or "SharpPxe.Diagnostics" or "SharpPxe.Net" => Hosting,
        "SharpPxe.Config" or "SharpPxe.Cli" => Config,
        "SharpPxe.Dhcp" => Dhcp,
        "SharpPxe.Tftp" => Tftp,
        "SharpPxe.Http" => Http,
        "SharpPxe.Nbd" => Nbd,
        "SharpPxe.Leases" => Leases,
        "SharpPxe.Boot" => Boot,
        "SharpPxe.Events" => Events,
        _ => null,
    };
}
