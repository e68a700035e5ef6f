namespace SharpPxe.Config;

/// <summary>
/// The whole configuration after defaults, file, environment and command line are merged and checked.
/// Property names are the JSON keys in PascalCase: <c>dhcp.serverIp</c> is <c>Dhcp.ServerIp</c>.
/// </summary>
public sealed class SharpPxeOptions
{
    public string NetbootDir { get; set; } = "netboot";

    public string NetbootFile { get; set; } = string.Empty;

    public bool Ipxe { get; set; }

    /// <summary>The iPXE binary x64 UEFI machines get: ipxe.efi or snponly.efi.</summary>
    public string IpxeEfi { get; set; } = "ipxe.efi";

    public string? Interface { get; set; }

    /// <summary>Configured boot rules, tried in order before the built-in ones.</summary>
    public IReadOnlyList<BootRuleOptions> Rules { get; set; } = [];

    public string? StateDir { get; set; }

    public LoggingOptions Logging { get; set; } = new();

    public DhcpOptions Dhcp { get; set; } = new();

    public TftpOptions Tftp { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public NbdOptions Nbd { get; set; } = new();

    /// <summary>
    /// The dotted paths a file, the environment or a flag set, as opposed to defaults. PyPXE's address defaults
    /// (192.168.2.2 for the server and file server) are used only when given; otherwise the DHCP service uses the
    /// address of the interface each request came in on.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlySet<string> ExplicitlySet { get; set; } = new HashSet<string>();

    /// <summary>Whether <paramref name="path"/> (e.g. dhcp.serverIp) was set rather than defaulted.</summary>
    public bool IsExplicit(string path) => ExplicitlySet.Contains(path);

    /// <summary>
    /// The boot file PyPXE would choose (server.py, derived settings): the configured one, else boot.http.ipxe
    /// with iPXE and HTTP, boot.ipxe with iPXE, pxelinux.0 without.
    /// </summary>
    public string EffectiveNetbootFile => NetbootFile.Length > 0 ? NetbootFile
        : Ipxe && Http.Enabled ? "boot.http.ipxe"
        : Ipxe ? "boot.ipxe"
        : "pxelinux.0";

    /// <summary>
    /// The state directory: the configured one, else /var/lib/sharppxe for root, else $XDG_STATE_HOME/sharppxe
    /// (~/.local/state/sharppxe when XDG_STATE_HOME is unset).
    /// </summary>
    public string EffectiveStateDir
    {
        get
        {
            if (!string.IsNullOrEmpty(StateDir))
            {
                return StateDir;
            }

            if (Environment.IsPrivilegedProcess)
            {
                return "/var/lib/sharppxe";
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            string baseDir = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg) ? xdg
                : System.IO.Path.Combine(
                    Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return System.IO.Path.Combine(baseDir, "sharppxe");
        }
    }
}
