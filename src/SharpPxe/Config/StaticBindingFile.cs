using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>
/// Reads PyPXE's static-binding file: <c>{"dhcp": {"binding": {"AA:BB:CC:DD:EE:FF": {"ipaddr": ..., "subnet": ...,
/// "router": ..., "dns": [...], "rom": ...}}}}</c>. Unlike PyPXE, MACs match in any case and with any separator,
/// and a bad MAC, address or unknown key is an error that names it.
/// </summary>
public static class StaticBindingFile
{
    private static readonly string[] s_fields = ["ipaddr", "subnet", "router", "dns", "rom"];

    /// <summary>Loads the file, adding every problem to <paramref name="errors"/>.</summary>
    public static IReadOnlyDictionary<string, StaticBinding> Load(string path, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        var bindings = new Dictionary<string, StaticBinding>(StringComparer.Ordinal);
        string source = $"static-binding file {path}";
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path),
                documentOptions: new JsonDocumentOptions
                {
                    AllowTrailingCommas = true,
                    CommentHandling = JsonCommentHandling.Skip,
                });
        }
        catch (JsonException ex)
        {
            errors.Add(new ConfigError(source,
                $"line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}",
                null, "is not valid JSON", "a JSON object"));
            return bindings;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError("configuration", "dhcp.staticConfig", path, "cannot be read: " + ex.Message,
                "a readable JSON file"));
            return bindings;
        }

        if (root is not JsonObject top || top["dhcp"] is not JsonObject dhcp || dhcp["binding"] is not JsonObject map)
        {
            errors.Add(new ConfigError(source, "dhcp.binding", null, "is missing or not an object",
                "{\"dhcp\": {\"binding\": {\"<MAC>\": {...}}}}"));
            return bindings;
        }

        foreach ((string macText, JsonNode? entry) in map)
        {
            string key = $"dhcp.binding.{macText}";
            if (!MacAddressText.TryNormalize(macText, out string mac))
            {
                errors.Add(new ConfigError(source, key, macText, "is not a MAC address",
                    "six hex bytes such as 52:54:00:12:34:56 (any case; ':', '-' or no separator)"));
                continue;
            }

            if (bindings.ContainsKey(mac))
            {
                errors.Add(new ConfigError(source, key, macText, $"binds {mac} a second time", "each MAC once"));
                continue;
            }

            if (entry is not JsonObject fields)
            {
                errors.Add(new ConfigError(source, key, entry?.ToJsonString() ?? "null", "is not an object",
                    "an object with ipaddr, subnet, router, dns and rom"));
                continue;
            }

            if (TryReadBinding(mac, fields, source, key, errors) is { } binding)
            {
                bindings[mac] = binding;
            }
        }

        return bindings;
    }

    private static StaticBinding? TryReadBinding(
        string mac, JsonObject fields, string source, string key, List<ConfigError> errors)
    {
        int before = errors.Count;
        foreach ((string field, JsonNode? _) in fields)
        {
            if (!s_fields.Contains(field, StringComparer.Ordinal))
            {
                errors.Add(new ConfigError(source, $"{key}.{field}", null,
                    "is not a binding field" + Suggestions.Hint(field, s_fields), string.Join(", ", s_fields)));
            }
        }

        IPAddress? address = ReadAddress(fields, "ipaddr", source, key, errors, netmask: false);
        IPAddress? subnet = ReadAddress(fields, "subnet", source, key, errors, netmask: true);
        IPAddress? router = ReadAddress(fields, "router", source, key, errors, netmask: false);
        var dns = new List<IPAddress>();
        JsonNode? dnsNode = fields["dns"];
        if (dnsNode is not null)
        {
            IEnumerable<JsonNode?> items = dnsNode is JsonArray array ? array : [dnsNode];
            foreach (JsonNode? item in items)
            {
                string? text = item?.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : null;
                if (text is null || !SettingValues.TryParseIPv4(text, out IPAddress? server))
                {
                    errors.Add(new ConfigError(source, $"{key}.dns", item?.ToJsonString() ?? "null",
                        "is not an IPv4 address", "a list of IPv4 addresses"));
                    continue;
                }

                dns.Add(server);
            }
        }

        string? rom = null;
        if (fields["rom"] is JsonNode romNode)
        {
            if (romNode.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(new ConfigError(source, $"{key}.rom", romNode.ToJsonString(), "is not a string",
                    "a boot file name or URL"));
            }
            else
            {
                rom = romNode.GetValue<string>();
            }
        }

        return errors.Count == before ? new StaticBinding(mac, address, subnet, router, dns, rom) : null;
    }

    private static IPAddress? ReadAddress(
        JsonObject fields, string field, string source, string key, List<ConfigError> errors, bool netmask)
    {
        JsonNode? node = fields[field];
        if (node is null)
        {
            return null;
        }

        string? text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (text is null || !SettingValues.TryParseIPv4(text, out IPAddress? address)
            || (netmask && !SettingValues.IsContiguousNetmask(address)))
        {
            errors.Add(new ConfigError(source, $"{key}.{field}", node.ToJsonString(),
                netmask ? "is not a netmask" : "is not an IPv4 address",
                netmask ? "a netmask such as 255.255.255.0" : "an IPv4 address"));
            return null;
        }

        return address;
    }
}
