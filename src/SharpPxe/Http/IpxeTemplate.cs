using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpPxe.Http;

/// <summary>
/// Renders per-machine iPXE scripts: {{name}} placeholders are replaced by the machine's values, while iPXE's own
/// ${name} settings are left for iPXE. An unknown placeholder stays as written, so a typo is visible in the
/// script rather than silently empty.
/// </summary>
public static partial class IpxeTemplate
{
    /// <summary>The placeholders SharpPXE fills in.</summary>
    public static readonly IReadOnlyList<string> Variables =
        ["mac", "mac_hyphen", "ip", "arch", "arch_name", "hostname", "server", "http_port", "http_base"];

    /// <summary>Whether <paramref name="text"/> has any {{...}} placeholder at all.</summary>
    public static bool HasPlaceholders(string text) => PlaceholderRegex().IsMatch(text);

    /// <summary>Replaces every known {{name}} (spaces inside the braces allowed) by its value.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return PlaceholderRegex().Replace(template, match =>
            values.TryGetValue(match.Groups["name"].Value, out string? value) ? value : match.Value);
    }

    /// <summary>The values for one machine.</summary>
    public static Dictionary<string, string> ValuesFor(
        string? mac, string? address, ushort? architecture, string? hostName, string server, int httpPort)
    {
        string port = httpPort.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mac"] = mac ?? string.Empty,

            // pxelinux's per-machine file name form: 01-aa-bb-cc-dd-ee-ff.
            ["mac_hyphen"] = mac is null ? string.Empty : "01-" + mac.Replace(':', '-'),
            ["ip"] = address ?? string.Empty,
            ["arch"] = architecture?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["arch_name"] = Boot.ClientArchitecture.Name(architecture),
            ["hostname"] = hostName ?? string.Empty,
            ["server"] = server,
            ["http_port"] = port,
            ["http_base"] = httpPort == 80 ? $"http://{server}" : $"http://{server}:{port}",
        };
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[a-z_]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderRegex();
}
