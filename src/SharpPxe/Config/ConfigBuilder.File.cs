using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpPxe.Config;

public sealed partial class ConfigBuilder
{
    /// <summary>The editor hint a SharpPXE config may carry; it is not a setting.</summary>
    public const string SchemaKey = "$schema";

    /// <summary>Keys PyPXE's --dump-config-merged writes that are not settings; accepted and ignored.</summary>
    private static readonly HashSet<string> s_pyPxeIgnoredKeys =
        new(["JSON_CONFIG", "DUMP_CONFIG", "DUMP_CONFIG_MERGED"], StringComparer.Ordinal);

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Whether the last file read was in PyPXE's format (upper-case keys).</summary>
    public bool FileWasPyPxe { get; private set; }

    /// <summary>
    /// Reads a configuration file: SharpPXE's own JSON, or PyPXE's (recognised by its upper-case keys).
    /// </summary>
    public void AddFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string source = $"config file {path}";
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: s_documentOptions);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            _errors.Add(new ConfigError(source, $"line {line}, column {column}", null,
                "is not valid JSON: " + FirstSentence(ex.Message), "a JSON object"));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _errors.Add(new ConfigError(CommandLineSource, "--config", path,
                "cannot be read: " + ex.Message, "a readable JSON file"));
            return;
        }

        if (root is not JsonObject obj)
        {
            _errors.Add(new ConfigError(source, "(top level)", null,
                "is not a JSON object", "an object such as { \"tftp\": { \"port\": 69 } }"));
            return;
        }

        FileWasPyPxe = obj.Any(p => IsPyPxeKey(p.Key));
        if (FileWasPyPxe)
        {
            AddPyPxeObject(obj, source);
        }
        else
        {
            AddSharpPxeObject(obj, source, prefix: string.Empty);
        }
    }

    /// <summary>PyPXE's keys are upper case with underscores, e.g. DHCP_SERVER_IP.</summary>
    private static bool IsPyPxeKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    private void AddSharpPxeObject(JsonObject obj, string source, string prefix)
    {
        foreach ((string key, JsonNode? value) in obj)
        {
            if (prefix.Length == 0 && key == SchemaKey)
            {
                continue;
            }

            string path = prefix + key;
            SettingDefinition? definition = SettingsCatalog.Find(path);
            if (definition is not null)
            {
                Set(definition, value, source, path);
                continue;
            }

            bool isSection = prefix.Length == 0 && SettingsCatalog.Sections.Contains(key, StringComparer.Ordinal);
            if (isSection)
            {
                if (value is JsonObject section)
                {
                    AddSharpPxeObject(section, source, key + ".");
                }
                else
                {
                    _errors.Add(new ConfigError(source, path, value?.ToJsonString() ?? "null",
                        "has the wrong type", "an object of settings"));
                }

                continue;
            }

            IEnumerable<string> siblings = prefix.Length == 0
                ? SettingsCatalog.All.Where(d => !d.Path.Contains('.', StringComparison.Ordinal)).Select(d => d.Path)
                    .Concat(SettingsCatalog.Sections)
                : SettingsCatalog.All.Where(d => d.Path.StartsWith(prefix, StringComparison.Ordinal))
                    .Select(d => d.Path[prefix.Length..]);
            string hint = Suggestions.Hint(key, siblings);
            if (hint.Length == 0 && prefix.Length == 0)
            {
                hint = Suggestions.Hint(key, SettingsCatalog.All.Select(d => d.Path));
            }

            _errors.Add(new ConfigError(source, path, null, "is not a SharpPXE setting" + hint,
                prefix.Length == 0 ? "a key listed in the README's configuration reference"
                    : $"one of {string.Join(", ", siblings)}"));
        }
    }

    private void AddPyPxeObject(JsonObject obj, string source)
    {
        var byKey = SettingsCatalog.All.Where(d => d.PyPxeKey is not null && d.Path != "dhcp.mode")
            .ToDictionary(d => d.PyPxeKey!, StringComparer.Ordinal);
        bool? useDhcp = null;
        bool? proxy = null;
        SettingDefinition mode = SettingsCatalog.Find("dhcp.mode")!;
        var boolean = new SettingDefinition
        {
            Path = "dhcp.mode", Kind = SettingKind.Bool, Default = false, Group = mode.Group,
            Description = mode.Description,
        };

        foreach ((string key, JsonNode? value) in obj)
        {
            if (s_pyPxeIgnoredKeys.Contains(key))
            {
                continue;
            }

            if (key is "USE_DHCP" or "DHCP_MODE_PROXY")
            {
                if (!SettingValues.TryNormalize(boolean, value, lenient: true, out JsonNode? flag, out string problem))
                {
                    _errors.Add(new ConfigError(source, key, value?.ToJsonString() ?? "null", problem,
                        "true or false"));
                    continue;
                }

                if (key == "USE_DHCP")
                {
                    useDhcp = flag!.GetValue<bool>();
                }
                else
                {
                    proxy = flag!.GetValue<bool>();
                }

                continue;
            }

            if (byKey.TryGetValue(key, out SettingDefinition? definition))
            {
                Set(definition, value, source, key, lenient: true);
                continue;
            }

            IEnumerable<string> known = byKey.Keys.Append("USE_DHCP").Append("DHCP_MODE_PROXY");
            _errors.Add(new ConfigError(source, key, null,
                "is not a PyPXE setting" + Suggestions.Hint(key, known),
                "a key of PyPXE's configuration (see the README's PyPXE table)"));
        }

        // PyPXE: --dhcp-proxy implies DHCP on (server.py), and proxy wins over full.
        if (proxy == true)
        {
            _values["dhcp.mode"] = "proxy";
            _explicit.Add("dhcp.mode");
        }
        else if (useDhcp is not null || proxy is not null)
        {
            _values["dhcp.mode"] = useDhcp == true ? "full" : "off";
            _explicit.Add("dhcp.mode");
        }
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
