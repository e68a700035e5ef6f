using System.Globalization;
using System.Net;
using SharpPxe.Config;

namespace SharpPxe.Boot;

/// <summary>
/// A rule from the configuration's <c>rules</c> list. It matches on MAC, MAC prefix, architecture, user class and
/// vendor class (every field given must hold) and sets a boot file, a script, or a kernel with initrds and a
/// command line (SharpPXE writes that script itself), plus the next server and extra DHCP options.
/// </summary>
/// <remarks>
/// A script or kernel needs iPXE: a client that is not iPXE yet gets the iPXE binary for its architecture from
/// this rule, then, chain-loaded, comes back as iPXE and gets the script — so the chain works even without --ipxe.
/// </remarks>
public sealed class ConfiguredBootRule : IBootRule
{
    /// <summary>The HTTP path under which SharpPXE serves the scripts it writes for kernel rules.</summary>
    public const string GeneratedScriptPrefix = "sharppxe/rules/";

    private readonly BootRuleOptions _rule;
    private readonly int _index;
    private readonly string? _macPrefix;
    private readonly string? _mac;
    private readonly IReadOnlyList<KeyValuePair<byte, byte[]>> _extraOptions;

    public ConfiguredBootRule(BootRuleOptions rule, int index)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rule = rule;
        _index = index;
        Name = rule.Name ?? $"rules[{index}]";
        _mac = rule.Match.Mac is { } mac && MacAddressText.TryNormalize(mac, out string normalized) ? normalized : null;
        _macPrefix = rule.Match.MacPrefix is { } prefix
            ? new string(prefix.Where(char.IsAsciiHexDigit).Select(char.ToLowerInvariant).ToArray())
            : null;
        _extraOptions = [.. rule.DhcpOptions
            .Select(p => (Code: byte.Parse(p.Key, CultureInfo.InvariantCulture), p.Value))
            .Select(p => new KeyValuePair<byte, byte[]>(p.Code,
                BootRuleValidation.TryEncode(p.Value, out byte[] value) ? value : []))];
    }

    public string Name { get; }

    /// <summary>The configured rules of <paramref name="options"/>, in order.</summary>
    public static IReadOnlyList<IBootRule> FromOptions(SharpPxeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. options.Rules.Select((rule, index) => (IBootRule)new ConfiguredBootRule(rule, index))];
    }

    /// <summary>
    /// The iPXE script SharpPXE writes for a kernel rule: kernel, initrds and command line over HTTP from
    /// <paramref name="httpBase"/>.
    /// </summary>
    public static string? GeneratedScript(SharpPxeOptions options, int index, string httpBase)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (index < 0 || index >= options.Rules.Count || options.Rules[index].Kernel is not { } kernel)
        {
            return null;
        }

        BootRuleOptions rule = options.Rules[index];
        var script = new System.Text.StringBuilder();
        script.Append("#!ipxe\n");
        script.Append("echo SharpPXE: rule ").Append(rule.Name ?? $"rules[{index}]").Append(" boots ").Append(kernel)
            .Append('\n');

        // initrd=NAME on the command line lets an EFI-stub kernel find its initrd (lab/LAB.md, pitfall 10).
        string initrdArgs = string.Concat(rule.Initrds.Select(i => $" initrd={Path.GetFileName(i)}"));
        string kernelLine = $"kernel {Url(httpBase, kernel)}{initrdArgs} {rule.Cmdline ?? string.Empty}".TrimEnd();
        script.Append(kernelLine).Append(" || goto failed\n");
        foreach (string initrd in rule.Initrds)
        {
            script.Append(CultureInfo.InvariantCulture, $"initrd {Url(httpBase, initrd)} || goto failed\n");
        }

        script.Append("boot || goto failed\n");
        script.Append(":failed\necho SharpPXE: boot failed\nexit 1\n");
        return script.ToString();
    }

    public bool Matches(BootRequest request, BootContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        BootRuleMatch match = _rule.Match;
        string mac = request.Mac;
        if (_mac is not null && !string.Equals(_mac, mac, StringComparison.Ordinal))
        {
            return false;
        }

        if (_macPrefix is not null && !mac.Replace(":", "", StringComparison.Ordinal)
            .StartsWith(_macPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (match.Arch.Count > 0 && (request.Architecture is not { } arch || !match.Arch.Contains(arch)))
        {
            return false;
        }

        if (match.UserClass is { } userClass && !request.UserClasses.Contains(userClass, StringComparer.Ordinal))
        {
            return false;
        }

        return match.VendorClass is not { } vendor
            || (request.VendorClass?.StartsWith(vendor, StringComparison.Ordinal) ?? false);
    }

    public BootDecision Decide(BootRequest request, BootContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        string? file = _rule.File;
        bool httpClient = ClientArchitecture.IsHttpBoot(ClientArchitecture.Classify(request));
        if (_rule.Script is not null || _rule.Kernel is not null)
        {
            string script = _rule.Script ?? GeneratedScriptPrefix + _index.ToString(CultureInfo.InvariantCulture)
                + ".ipxe";
            file = context.IsIpxe(request) || httpClient
                ? context.HttpUrl(httpClient && !context.IsIpxe(request)
                    ? BuiltInBootRules.IpxeBinary(ClientArchitecture.Classify(request), context)
                    : script)
                : BuiltInBootRules.IpxeBinary(ClientArchitecture.Classify(request), context);
        }
        else if (file is not null && httpClient)
        {
            file = context.HttpUrl(file);
        }

        IPAddress nextServer = _rule.NextServer is { } next ? IPAddress.Parse(next) : context.Options.Dhcp.FileServer;
        return new BootDecision(file, nextServer, httpClient, Name) { ExtraOptions = _extraOptions };
    }

    private static string Url(string httpBase, string file) =>
        file.Contains("://", StringComparison.Ordinal) ? file : $"{httpBase.TrimEnd('/')}/{file.TrimStart('/')}";
}
