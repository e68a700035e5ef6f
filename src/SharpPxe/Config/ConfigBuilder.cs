using System.Collections;
using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>
/// Merges the configuration in its order of precedence: built-in defaults &lt; config file &lt; environment
/// (SHARPPXE_...) &lt; command line. Each layer's values are checked as they come in; every problem is kept,
/// so one run reports them all.
/// </summary>
public sealed partial class ConfigBuilder
{
    /// <summary>Source name for values from the environment.</summary>
    public const string EnvironmentSource = "environment";

    /// <summary>Source name for values from the command line.</summary>
    public const string CommandLineSource = "command line";

    private const string EnvironmentPrefix = "SHARPPXE_";

    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);
    private readonly List<ConfigError> _errors = [];
    private readonly HashSet<string> _explicit = new(StringComparer.Ordinal);

    public ConfigBuilder()
    {
        foreach (SettingDefinition definition in SettingsCatalog.All)
        {
            _values[definition.Path] = definition.Default?.DeepClone();
        }
    }

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>The settings a file, the environment or a flag gave, as opposed to defaults.</summary>
    public IReadOnlySet<string> ExplicitlySet => _explicit;

    /// <summary>The merged settings so far, keyed by dotted path.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Values => _values;

    /// <summary>The built-in defaults in SharpPXE's JSON form (what --dump-config prints).</summary>
    public static JsonObject DefaultsJson() => ConfigJson.ToNested(new ConfigBuilder().Values);

    /// <summary>Records a problem found outside the builder (a command-line conflict, say).</summary>
    public void AddError(ConfigError error) => _errors.Add(error);

    /// <summary>Sets one setting from a JSON value, checking it; <paramref name="key"/> is what errors name.</summary>
    public bool Set(SettingDefinition definition, JsonNode? value, string source, string key, bool lenient = false)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (SettingValues.TryNormalize(definition, value, lenient, out JsonNode? normalized, out string problem))
        {
            _values[definition.Path] = normalized;
            _explicit.Add(definition.Path);
            return true;
        }

        _errors.Add(new ConfigError(source, key, value?.ToJsonString() ?? "null", problem,
            SettingValues.Expected(definition)));
        return false;
    }

    /// <summary>Sets one setting from text (a flag's or variable's value), checking it.</summary>
    public bool SetText(SettingDefinition definition, string text, string source, string key)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(text);
        if (SettingValues.TryParseText(definition, text, out JsonNode? normalized, out string problem))
        {
            _values[definition.Path] = normalized;
            _explicit.Add(definition.Path);
            return true;
        }

        _errors.Add(new ConfigError(source, key, text, problem, SettingValues.Expected(definition)));
        return false;
    }

    /// <summary>Applies every SHARPPXE_ variable; an unknown one is an error that names it.</summary>
    public void AddEnvironment(IDictionary variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var names = SettingsCatalog.All.ToDictionary(d => d.EnvironmentVariable, StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in variables.Cast<DictionaryEntry>()
            .OrderBy(e => (string)e.Key, StringComparer.Ordinal))
        {
            string name = (string)entry.Key;
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!names.TryGetValue(name, out SettingDefinition? definition))
            {
                _errors.Add(new ConfigError(EnvironmentSource, name, entry.Value as string,
                    "is not a SharpPXE setting" + Suggestions.Hint(name, names.Keys),
                    "one of the SHARPPXE_ variables listed in the README"));
                continue;
            }

            SetText(definition, entry.Value as string ?? string.Empty, EnvironmentSource, name);
        }
    }

    /// <summary>
    /// Checks the merged settings as a whole and returns the options, or throws <see cref="ConfigException"/>
    /// listing every problem. <paramref name="checkFiles"/> also checks files and directories the services need.
    /// </summary>
    public SharpPxeOptions Build(bool checkFiles = true)
    {
        if (_errors.Count > 0)
        {
            throw new ConfigException(_errors.ToList());
        }

        SharpPxeOptions options = ConfigJson.ToOptions(_values);
        options.ExplicitlySet = _explicit.ToHashSet(StringComparer.Ordinal);
        var problems = ConfigValidator.Validate(options, checkFiles);
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        return options;
    }
}
