using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>
/// Every setting SharpPXE has, in the order --help, --dump-config and the README show them. Defaults are
/// PyPXE's (pypxe/server.py SETTINGS) wherever PyPXE has the setting, so a PyPXE command line means the same.
/// </summary>
public static class SettingsCatalog
{
    public const string GeneralGroup = "General";
    public const string LoggingGroup = "Logging";
    public const string DhcpGroup = "DHCP and ProxyDHCP";
    public const string TftpGroup = "TFTP";
    public const string HttpGroup = "HTTP";
    public const string NbdGroup = "NBD";
    public const string RulesGroup = "Boot rules";

    /// <summary>The names PyPXE's --debug and --verbose lists accept, besides "all".</summary>
    public static readonly IReadOnlyList<string> ServiceNames = ["dhcp", "tftp", "http", "nbd"];

    public static readonly IReadOnlyList<string> LogFormats = ["text", "json"];

    public static readonly IReadOnlyList<string> DhcpModes = ["off", "full", "proxy"];

    public static readonly IReadOnlyList<string> LeaseSyncModes = ["os", "fsync"];

    public static readonly IReadOnlyList<string> IpxeEfiBinaries = ["ipxe.efi", "snponly.efi"];

    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new()
        {
            Path = "netbootDir", Kind = SettingKind.Path, Default = "netboot", Group = GeneralGroup,
            PyPxeKey = "NETBOOT_DIR", Flag = "--netboot-dir", ValueName = "DIR",
            Description = "Root directory that TFTP, HTTP and NBD serve from; relative to the working directory.",
        },
        new()
        {
            Path = "netbootFile", Kind = SettingKind.Text, Default = "", Group = GeneralGroup,
            PyPxeKey = "NETBOOT_FILE", Flag = "--netboot-file", ValueName = "FILE",
            Description = "Boot file to hand out; empty chooses pxelinux.0, boot.ipxe or boot.http.ipxe as PyPXE does.",
        },
        new()
        {
            Path = "ipxe", Kind = SettingKind.Bool, Default = false, Group = GeneralGroup, PyPxeKey = "USE_IPXE",
            Switches =
            [
                new("--ipxe", true, "Chain-load iPXE: firmware gets the iPXE binary, iPXE gets the script."),
                new("--no-ipxe", false, "Do not chain-load iPXE."),
            ],
            Description = "Chain-load iPXE before the boot script.",
        },
        new()
        {
            Path = "ipxeEfi", Kind = SettingKind.Choice, Default = "ipxe.efi", Group = GeneralGroup,
            Choices = IpxeEfiBinaries, Flag = "--ipxe-efi", ValueName = "ipxe.efi|snponly.efi",
            Description = "The iPXE that x64 UEFI machines chain-load: ipxe.efi (its own NIC drivers) or snponly.efi "
                + "(the firmware's network stack; starts faster).",
        },
        new()
        {
            Path = "rules", Kind = SettingKind.Rules, Default = new JsonArray(), Group = RulesGroup,
            Description = "Boot rules tried before the built-in ones, first match wins (see the README).",
        },
        new()
        {
            Path = "interface", Kind = SettingKind.OptionalText, Default = null, Group = GeneralGroup,
            Flag = "--interface", ValueName = "NAME",
            Description = "Serve only on this network interface (default: every interface).",
        },
        new()
        {
            Path = "stateDir", Kind = SettingKind.OptionalText, Default = null, Group = GeneralGroup,
            Flag = "--state-dir", ValueName = "DIR",
            Description = "Where leases and other state live (default: /var/lib/sharppxe for root, "
                + "$XDG_STATE_HOME/sharppxe otherwise).",
        },
        new()
        {
            Path = "logging.format", Kind = SettingKind.Choice, Default = "text", Group = LoggingGroup,
            Flag = "--log-format", ValueName = "text|json", Choices = LogFormats,
            Description = "Log lines on stderr as text or as JSON objects, one per line.",
        },
        new()
        {
            Path = "logging.debug", Kind = SettingKind.ServiceList, Default = new JsonArray(), Group = LoggingGroup,
            PyPxeKey = "MODE_DEBUG", Flag = "--debug", ValueName = "LIST",
            Description = "Services that log at Debug: a comma list of dhcp, tftp, http, nbd or all; -name excludes.",
        },
        new()
        {
            Path = "logging.verbose", Kind = SettingKind.ServiceList, Default = new JsonArray(),
            Group = LoggingGroup, PyPxeKey = "MODE_VERBOSE", Flag = "--verbose", ValueName = "LIST",
            Description = "Services that log at Information (one line per client outcome); same syntax as --debug.",
        },
        new()
        {
            Path = "logging.syslogServer", Kind = SettingKind.OptionalText, Default = null, Group = LoggingGroup,
            PyPxeKey = "SYSLOG_SERVER", Flag = "--syslog", ValueName = "HOST",
            Description = "Send the log to this remote syslog host over UDP instead of stderr.",
        },
        new()
        {
            Path = "logging.syslogPort", Kind = SettingKind.Port, Default = 514, Group = LoggingGroup,
            PyPxeKey = "SYSLOG_PORT", Flag = "--syslog-port", ValueName = "PORT",
            Description = "UDP port of the syslog host.",
        },
        new()
        {
            Path = "dhcp.mode", Kind = SettingKind.Choice, Default = "off", Group = DhcpGroup, Choices = DhcpModes,
            PyPxeKey = "USE_DHCP",
            Switches =
            [
                new("--dhcp", "full", "Run a full DHCP server that hands out addresses."),
                new("--dhcp-proxy", "proxy", "Run ProxyDHCP beside the network's own DHCP server."),
            ],
            Description = "off, full (hand out addresses) or proxy (boot information only, beside another server).",
        },
        new()
        {
            Path = "dhcp.serverIp", Kind = SettingKind.IPv4, Default = "192.168.2.2", Group = DhcpGroup,
            PyPxeKey = "DHCP_SERVER_IP", Flag = "--dhcp-server-ip", ValueName = "ADDR",
            Description = "This server's address: the DHCP server identifier (option 54) and the pool's subnet.",
        },
        new()
        {
            Path = "dhcp.serverPort", Kind = SettingKind.Port, Default = 67, Group = DhcpGroup,
            PyPxeKey = "DHCP_SERVER_PORT", Flag = "--dhcp-server-port", ValueName = "PORT",
            Description = "UDP port the DHCP server listens on.",
        },
        new()
        {
            Path = "dhcp.begin", Kind = SettingKind.IPv4, Default = "192.168.2.100", Group = DhcpGroup,
            PyPxeKey = "DHCP_OFFER_BEGIN", Flag = "--dhcp-begin", ValueName = "ADDR",
            Description = "First address of the pool (inclusive).",
        },
        new()
        {
            Path = "dhcp.end", Kind = SettingKind.IPv4, Default = "192.168.2.150", Group = DhcpGroup,
            PyPxeKey = "DHCP_OFFER_END", Flag = "--dhcp-end", ValueName = "ADDR",
            Description = "Last address of the pool (inclusive).",
        },
        new()
        {
            Path = "dhcp.subnet", Kind = SettingKind.Netmask, Default = "255.255.255.0", Group = DhcpGroup,
            PyPxeKey = "DHCP_SUBNET", Flag = "--dhcp-subnet", ValueName = "MASK",
            Description = "Subnet mask handed out (option 1).",
        },
        new()
        {
            Path = "dhcp.router", Kind = SettingKind.IPv4, Default = "192.168.2.1", Group = DhcpGroup,
            PyPxeKey = "DHCP_ROUTER", Flag = "--dhcp-router", ValueName = "ADDR",
            Description = "Default router handed out (option 3).",
        },
        new()
        {
            Path = "dhcp.dns", Kind = SettingKind.IPv4List, Default = new JsonArray("8.8.8.8"), Group = DhcpGroup,
            PyPxeKey = "DHCP_DNS", Flag = "--dhcp-dns", ValueName = "ADDR[,ADDR]",
            Description = "DNS servers handed out (option 6).",
        },
        new()
        {
            Path = "dhcp.broadcast", Kind = SettingKind.IPv4, Default = "", AllowEmpty = true, Group = DhcpGroup,
            PyPxeKey = "DHCP_BROADCAST", Flag = "--dhcp-broadcast", ValueName = "ADDR",
            Description = "Address for broadcast replies; empty sends them to 255.255.255.255.",
        },
        new()
        {
            Path = "dhcp.fileServer", Kind = SettingKind.IPv4, Default = "192.168.2.2", Group = DhcpGroup,
            PyPxeKey = "DHCP_FILESERVER", Flag = "--dhcp-fileserver", ValueName = "ADDR",
            Description = "TFTP/HTTP server named to clients (siaddr and option 66).",
        },
        new()
        {
            Path = "dhcp.whitelist", Kind = SettingKind.Bool, Default = false, Group = DhcpGroup,
            PyPxeKey = "DHCP_WHITELIST",
            Switches = [new("--dhcp-whitelist", true, "Serve only the MAC addresses listed in --static-config.")],
            Description = "Serve only the MAC addresses listed in the static-binding file.",
        },
        new()
        {
            Path = "dhcp.staticConfig", Kind = SettingKind.Path, Default = "", Group = DhcpGroup,
            PyPxeKey = "STATIC_CONFIG", Flag = "--static-config", ValueName = "FILE",
            Description = "PyPXE static-binding JSON file: dhcp.binding.<MAC> = {ipaddr, subnet, router, dns, rom}.",
        },
        new()
        {
            Path = "dhcp.leasesFile", Kind = SettingKind.Path, Default = "", Group = DhcpGroup,
            PyPxeKey = "LEASES_FILE", Flag = "--save-leases", ValueName = "FILE",
            Description = "Also load and save leases in PyPXE's JSON lease file.",
        },
        new()
        {
            Path = "dhcp.leaseTime", Kind = SettingKind.WholeNumber, Default = 86400, Group = DhcpGroup,
            Minimum = 60, Maximum = 31536000, Flag = "--dhcp-lease-time", ValueName = "SECONDS",
            Description = "Lease time handed out (option 51).",
        },
        new()
        {
            Path = "dhcp.renewalTime", Kind = SettingKind.WholeNumber, Default = 0, Group = DhcpGroup,
            Minimum = 0, Maximum = 31536000, Flag = "--dhcp-t1", ValueName = "SECONDS",
            Description = "T1, the renewal time (option 58); 0 means half the lease time.",
        },
        new()
        {
            Path = "dhcp.rebindingTime", Kind = SettingKind.WholeNumber, Default = 0, Group = DhcpGroup,
            Minimum = 0, Maximum = 31536000, Flag = "--dhcp-t2", ValueName = "SECONDS",
            Description = "T2, the rebinding time (option 59); 0 means seven eighths of the lease time.",
        },
        new()
        {
            Path = "dhcp.offerHold", Kind = SettingKind.WholeNumber, Default = 30, Group = DhcpGroup,
            Minimum = 1, Maximum = 3600, Flag = "--dhcp-offer-hold", ValueName = "SECONDS",
            Description = "How long an offered address stays reserved for the client's DHCPREQUEST.",
        },
        new()
        {
            Path = "dhcp.declineTime", Kind = SettingKind.WholeNumber, Default = 3600, Group = DhcpGroup,
            Minimum = 1, Maximum = 31536000, Flag = "--dhcp-decline-time", ValueName = "SECONDS",
            Description = "How long an address a client declined (DHCPDECLINE) is kept out of the pool.",
        },
        new()
        {
            Path = "dhcp.serveAll", Kind = SettingKind.Bool, Default = false, Group = DhcpGroup,
            Switches =
            [
                new("--dhcp-serve-all", true, "Give addresses to every client, not only PXE and HTTP boot ones."),
            ],
            Description = "Serve every client (installers, the booted OS), not only option 60 PXEClient/HTTPClient.",
        },
        new()
        {
            Path = "dhcp.leaseSync", Kind = SettingKind.Choice, Default = "os", Group = DhcpGroup,
            Choices = LeaseSyncModes, Flag = "--dhcp-lease-sync", ValueName = "os|fsync",
            Description = "Lease durability before the DHCPACK leaves: os (survives a crash) or fsync "
                + "(a power loss too).",
        },
        new()
        {
            Path = "dhcp.proxyBootServer", Kind = SettingKind.Bool, Default = false, Group = DhcpGroup,
            Switches =
            [
                new("--dhcp-proxy-boot-server", true,
                    "ProxyDHCP offers carry no boot file; firmware asks the boot server on port 4011."),
            ],
            Description = "ProxyDHCP: withhold the boot file so firmware asks the boot server on UDP 4011.",
        },
        new()
        {
            Path = "dhcp.proxyPort", Kind = SettingKind.Port, Default = 4011, Group = DhcpGroup,
            Flag = "--dhcp-proxy-port", ValueName = "PORT",
            Description = "UDP port of the PXE boot server that answers ProxyDHCP requests.",
        },
        new()
        {
            Path = "dhcp.ipxeOption175", Kind = SettingKind.Bool, Default = false, Group = DhcpGroup,
            Switches = [new("--dhcp-ipxe-option-175", true, "Also take option 175 as a sign of iPXE.")],
            Description = "Treat a client that sends option 175 as iPXE even without user class iPXE.",
        },
        new()
        {
            Path = "tftp.enabled", Kind = SettingKind.Bool, Default = true, Group = TftpGroup, PyPxeKey = "USE_TFTP",
            Switches =
            [
                new("--tftp", true, "Run the TFTP server."),
                new("--no-tftp", false, "Do not run the TFTP server."),
            ],
            Description = "Run the read-only TFTP server.",
        },
        new()
        {
            Path = "tftp.port", Kind = SettingKind.Port, Default = 69, Group = TftpGroup,
            PyPxeKey = "TFTP_PORT", Flag = "--tftp-port", ValueName = "PORT",
            Description = "UDP port the TFTP server listens on.",
        },
        new()
        {
            Path = "tftp.serverIp", Kind = SettingKind.IPv4, Default = "0.0.0.0", Group = TftpGroup,
            PyPxeKey = "TFTP_SERVER_IP", Flag = "--tftp-server-ip", ValueName = "ADDR",
            Description = "Address the TFTP server binds to.",
        },
        new()
        {
            Path = "tftp.maxBlockSize", Kind = SettingKind.WholeNumber, Default = 65464, Group = TftpGroup,
            Minimum = 512, Maximum = 65464, Flag = "--tftp-max-blksize", ValueName = "BYTES",
            Description = "Largest block size granted (RFC 2348); the arrival interface's MTU lowers it further.",
        },
        new()
        {
            Path = "tftp.maxWindowSize", Kind = SettingKind.WholeNumber, Default = 64, Group = TftpGroup,
            Minimum = 1, Maximum = 65535, Flag = "--tftp-max-windowsize", ValueName = "BLOCKS",
            Description = "Largest window size granted (RFC 7440).",
        },
        new()
        {
            Path = "tftp.maxInFlight", Kind = SettingKind.WholeNumber, Default = 65536, Group = TftpGroup,
            Minimum = 512, Maximum = 16777216, Flag = "--tftp-max-in-flight", ValueName = "BYTES",
            Description = "Most unacknowledged bytes in one window: a client's socket buffer overflows past ~64 KiB.",
        },
        new()
        {
            Path = "tftp.timeout", Kind = SettingKind.WholeNumber, Default = 1, Group = TftpGroup,
            Minimum = 1, Maximum = 255, Flag = "--tftp-timeout", ValueName = "SECONDS",
            Description = "First retransmission timeout when the client asks for none; it doubles on each retry.",
        },
        new()
        {
            Path = "tftp.retries", Kind = SettingKind.WholeNumber, Default = 5, Group = TftpGroup,
            Minimum = 1, Maximum = 50, Flag = "--tftp-retries", ValueName = "N",
            Description = "Retransmissions of one window before the transfer is given up.",
        },
        new()
        {
            Path = "tftp.maxTransfers", Kind = SettingKind.WholeNumber, Default = 1000, Group = TftpGroup,
            Minimum = 1, Maximum = 100000, Flag = "--tftp-max-transfers", ValueName = "N",
            Description = "Transfers running at once; further requests wait in a queue.",
        },
        new()
        {
            Path = "tftp.caseInsensitive", Kind = SettingKind.Bool, Default = false, Group = TftpGroup,
            Switches =
            [
                new("--tftp-case-insensitive", true, "Match file names without regard to case (Windows loaders)."),
            ],
            Description = "Match file names without regard to case, for Windows loaders.",
        },
        new()
        {
            Path = "tftp.cacheMegabytes", Kind = SettingKind.WholeNumber, Default = 64, Group = TftpGroup,
            Minimum = 0, Maximum = 65536, Flag = "--tftp-cache-mb", ValueName = "MB",
            Description = "Memory for files up to 32 MiB served from RAM, shared by every transfer of them; larger "
                + "files are read through the page cache; 0 reads everything from disk.",
        },
        new()
        {
            Path = "http.enabled", Kind = SettingKind.Bool, Default = false, Group = HttpGroup, PyPxeKey = "USE_HTTP",
            Switches =
            [
                new("--http", true, "Run the HTTP server."),
                new("--no-http", false, "Do not run the HTTP server."),
            ],
            Description = "Run the HTTP boot server.",
        },
        new()
        {
            Path = "http.port", Kind = SettingKind.Port, Default = 80, Group = HttpGroup,
            PyPxeKey = "HTTP_PORT", Flag = "--http-port", ValueName = "PORT",
            Description = "TCP port the HTTP server listens on.",
        },
        new()
        {
            Path = "http.serverIp", Kind = SettingKind.IPv4, Default = "0.0.0.0", Group = HttpGroup,
            PyPxeKey = "HTTP_SERVER_IP", Flag = "--http-server-ip", ValueName = "ADDR",
            Description = "Address the HTTP server binds to.",
        },
        new()
        {
            Path = "nbd.blockDevice", Kind = SettingKind.Path, Default = "", Group = NbdGroup,
            PyPxeKey = "NBD_BLOCK_DEVICE", Flag = "--nbd", ValueName = "IMAGE",
            Description = "Disk image to export over NBD, inside the netboot directory; non-empty enables NBD.",
        },
        new()
        {
            Path = "nbd.write", Kind = SettingKind.Bool, Default = false, Group = NbdGroup, PyPxeKey = "NBD_WRITE",
            Switches = [new("--nbd-write", true, "Let clients write to the export.")],
            Description = "Let clients write (shared by all clients unless copy-on-write).",
        },
        new()
        {
            Path = "nbd.cow", Kind = SettingKind.Bool, Default = true, Group = NbdGroup, PyPxeKey = "NBD_COW",
            Switches =
            [
                new("--nbd-cow", true, "Give each client its own copy-on-write layer."),
                new("--no-nbd-cow", false, "Write to the image itself, shared by all clients."),
            ],
            Description = "Copy-on-write per client; implies write.",
        },
        new()
        {
            Path = "nbd.cowInMem", Kind = SettingKind.Bool, Default = false, Group = NbdGroup,
            PyPxeKey = "NBD_COW_IN_MEM",
            Switches = [new("--nbd-cow-in-mem", true, "Keep copy-on-write layers in memory, not on disk.")],
            Description = "Keep copy-on-write layers in memory.",
        },
        new()
        {
            Path = "nbd.copyToRam", Kind = SettingKind.Bool, Default = false, Group = NbdGroup,
            PyPxeKey = "NBD_COPY_TO_RAM",
            Switches = [new("--nbd-copy-to-ram", true, "Load the whole image into memory at start.")],
            Description = "Load the whole image into memory at start (with copy-on-write).",
        },
        new()
        {
            Path = "nbd.serverIp", Kind = SettingKind.IPv4, Default = "0.0.0.0", Group = NbdGroup,
            PyPxeKey = "NBD_SERVER_IP", Flag = "--nbd-server", ValueName = "ADDR",
            Description = "Address the NBD server binds to.",
        },
        new()
        {
            Path = "nbd.port", Kind = SettingKind.Port, Default = 10809, Group = NbdGroup,
            PyPxeKey = "NBD_PORT", Flag = "--nbd-port", ValueName = "PORT",
            Description = "TCP port the NBD server listens on.",
        },
    ];

    private static readonly Dictionary<string, SettingDefinition> s_byPath =
        All.ToDictionary(d => d.Path, StringComparer.Ordinal);

    /// <summary>Finds a setting by its dotted path, e.g. <c>tftp.port</c>.</summary>
    public static SettingDefinition? Find(string path) => s_byPath.GetValueOrDefault(path);

    /// <summary>The section names of the JSON configuration, e.g. <c>dhcp</c>.</summary>
    public static IEnumerable<string> Sections =>
        All.Where(d => d.Path.Contains('.', StringComparison.Ordinal))
            .Select(d => d.Path[..d.Path.IndexOf('.', StringComparison.Ordinal)])
            .Distinct(StringComparer.Ordinal);
}
