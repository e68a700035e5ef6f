using System.Text.Json.Nodes;
using SharpPxe.Config;

namespace SharpPxe.TryBoot;

/// <summary>
/// The configuration the server inside a <c>sharppxe try</c> namespace runs with: the user's (or the built-in
/// demo's) boot rules and files, and the namespace's network: a full DHCP server on the bridge at
/// <see cref="ServerAddress"/>, TFTP on 69, throwaway leases, JSON logs for the timeline.
/// </summary>
public static class TryConfiguration
{
    /// <summary>The source named in errors about a value <c>try</c> set.</summary>
    public const string Source = "sharppxe try";

    /// <summary>The server's address on the namespace's bridge (198.18.0.0/15 is the benchmarking range).</summary>
    public const string ServerAddress = "198.18.0.1";

    /// <summary>The bridge in the namespace that the server listens on.</summary>
    public const string BridgeName = "br0";

    /// <summary>The bridge's prefix length.</summary>
    public const int PrefixLength = 24;

    /// <summary>The first address of the pool.</summary>
    public const string PoolBegin = "198.18.0.100";

    /// <summary>The last address of the pool.</summary>
    public const string PoolEnd = "198.18.0.199";

    /// <summary>The settings <see cref="ApplyNamespace"/> replaces, with the text each gets.</summary>
    private static readonly (string Path, string Text)[] s_network =
    [
        ("dhcp.mode", "full"),
        ("dhcp.serverIp", ServerAddress),
        ("dhcp.serverPort", "67"),
        ("dhcp.begin", PoolBegin),
        ("dhcp.end", PoolEnd),
        ("dhcp.subnet", "255.255.255.0"),
        ("dhcp.router", ServerAddress),
        ("dhcp.dns", ServerAddress),
        ("dhcp.broadcast", string.Empty),
        ("dhcp.fileServer", ServerAddress),
        ("dhcp.whitelist", "false"),
        ("dhcp.staticConfig", string.Empty),
        ("dhcp.leasesFile", string.Empty),
        ("dhcp.proxyBootServer", "false"),
        ("tftp.enabled", "true"),
        ("tftp.port", "69"),
        ("tftp.serverIp", "0.0.0.0"),
        ("http.enabled", "true"),
        ("http.serverIp", "0.0.0.0"),
        ("nbd.serverIp", "0.0.0.0"),
        ("logging.format", "json"),
        ("logging.verbose", "all"),
        ("logging.debug", "dhcp,tftp"),
        ("logging.syslogServer", string.Empty),
    ];

    /// <summary>
    /// The built-in demo on top of the defaults: files from <paramref name="netbootDir"/>, iPXE, HTTP, and
    /// boot.ipxe as the script iPXE runs. A setting the command line or environment gave stays as given.
    /// </summary>
    public static void ApplyDemo(ConfigBuilder builder, string netbootDir)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(netbootDir);
        SetUnlessGiven(builder, "netbootDir", netbootDir);
        SetUnlessGiven(builder, "ipxe", "true");
        SetUnlessGiven(builder, "netbootFile", "boot.ipxe");
    }

    /// <summary>
    /// Replaces the network settings with the namespace's, keeps the rest (rules, netboot directory, boot file,
    /// iPXE, limits, HTTP port), and makes the netboot directory absolute. <paramref name="stateDir"/> holds the
    /// throwaway leases. The interface is set by <see cref="ServerConfig"/>: it exists only inside the namespace.
    /// </summary>
    public static void ApplyNamespace(ConfigBuilder builder, string stateDir)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(stateDir);
        foreach ((string path, string text) in s_network)
        {
            Set(builder, path, text);
        }

        Set(builder, "stateDir", stateDir);
        if (builder.Values["netbootDir"]?.GetValue<string>() is { Length: > 0 } netboot)
        {
            builder.Set(Definition("netbootDir"), Path.GetFullPath(netboot), Source, "netbootDir");
        }
    }

    /// <summary>
    /// The configuration file for the server in the namespace: the settings a file, the environment, a flag or
    /// <c>try</c> gave (defaults stay defaults, so the server treats them as it would), bound to
    /// <paramref name="interfaceName"/>.
    /// </summary>
    public static JsonObject ServerConfig(ConfigBuilder builder, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        Set(builder, "interface", interfaceName);
        Dictionary<string, JsonNode?> given = builder.Values
            .Where(pair => builder.ExplicitlySet.Contains(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return ConfigJson.ToNested(given);
    }

    private static void SetUnlessGiven(ConfigBuilder builder, string path, string text)
    {
        if (!builder.ExplicitlySet.Contains(path))
        {
            Set(builder, path, text);
        }
    }

    private static void Set(ConfigBuilder builder, string path, string text)
    {
        if (!builder.SetText(Definition(path), text, Source, path))
        {
            throw new InvalidOperationException($"sharppxe try could not set {path} to '{text}'.");
        }
    }

    private static SettingDefinition Definition(string path) => SettingsCatalog.Find(path)
        ?? throw new InvalidOperationException($"{path} is not a setting.");
}
