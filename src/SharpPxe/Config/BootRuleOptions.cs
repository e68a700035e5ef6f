namespace SharpPxe.Config;

/// <summary>
/// One configured boot rule (the <c>rules</c> list): when <see cref="Match"/> holds, the machine gets what the
/// rule sets. The first matching rule wins; the built-in rules follow the configured ones.
/// </summary>
public sealed class BootRuleOptions
{
    /// <summary>A name for logs and `sharppxe explain`; "rules[N]" when not given.</summary>
    public string? Name { get; set; }

    public BootRuleMatch Match { get; set; } = new();

    /// <summary>The boot file (a name in the netboot directory, or a URL) for the DHCP reply.</summary>
    public string? File { get; set; }

    /// <summary>siaddr and option 66 for this machine, instead of the file server.</summary>
    public string? NextServer { get; set; }

    /// <summary>An iPXE script (a template in the netboot directory) that iPXE gets by HTTP.</summary>
    public string? Script { get; set; }

    /// <summary>A kernel to boot with iPXE; SharpPXE writes the script for it, its initrds and command line.</summary>
    public string? Kernel { get; set; }

    public IReadOnlyList<string> Initrds { get; set; } = [];

    public string? Cmdline { get; set; }

    /// <summary>Extra DHCP options by code: an IPv4 address, "hex:0a0b…", or text.</summary>
    public IReadOnlyDictionary<string, string> DhcpOptions { get; set; } = new Dictionary<string, string>();
}
