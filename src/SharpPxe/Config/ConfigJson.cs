using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SharpPxe.Config;

/// <summary>Turns checked settings into SharpPXE's JSON form and into <see cref="SharpPxeOptions"/>.</summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions s_modelOptions = CreateModelOptions();

    /// <summary>Indented output for --dump-config and files users read.</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The nested JSON object for flat settings keyed by dotted path, in catalog order.</summary>
    public static JsonObject ToNested(IReadOnlyDictionary<string, JsonNode?> flat)
    {
        ArgumentNullException.ThrowIfNull(flat);
        var root = new JsonObject();
        foreach (SettingDefinition definition in SettingsCatalog.All)
        {
            if (!flat.TryGetValue(definition.Path, out JsonNode? value))
            {
                continue;
            }

            JsonObject parent = root;
            string[] parts = definition.Path.Split('.');
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (parent[parts[i]] is not JsonObject child)
                {
                    child = [];
                    parent[parts[i]] = child;
                }

                parent = child;
            }

            parent[parts[^1]] = value?.DeepClone();
        }

        return root;
    }

    /// <summary>The typed options for a complete set of checked settings.</summary>
    public static SharpPxeOptions ToOptions(IReadOnlyDictionary<string, JsonNode?> flat) =>
        ToNested(flat).Deserialize<SharpPxeOptions>(s_modelOptions)
        ?? throw new InvalidOperationException("The settings did not produce options.");

    /// <summary>
    /// Writes typed options back in SharpPXE's JSON form (used to prove the model matches the catalog).
    /// </summary>
    public static JsonObject FromOptions(SharpPxeOptions options) =>
        JsonSerializer.SerializeToNode(options, s_modelOptions)?.AsObject()
        ?? throw new InvalidOperationException("The options did not serialise.");

    /// <summary>A deep copy of <paramref name="options"/>, for a variant such as another file server.</summary>
    public static SharpPxeOptions Clone(SharpPxeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SharpPxeOptions copy = FromOptions(options).Deserialize<SharpPxeOptions>(s_modelOptions)
            ?? throw new InvalidOperationException("The options did not copy.");
        copy.ExplicitlySet = options.ExplicitlySet;
        return copy;
    }

    private static JsonSerializerOptions CreateModelOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            IgnoreReadOnlyProperties = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new IPAddressConverter());
        return options;
    }

    private sealed class IPAddressConverter : JsonConverter<IPAddress?>
    {
        public override bool HandleNull => true;

        public override IPAddress? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? text = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            return string.IsNullOrEmpty(text) ? null : IPAddress.Parse(text);
        }

        public override void Write(Utf8JsonWriter writer, IPAddress? value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value?.ToString() ?? string.Empty);
    }
}
