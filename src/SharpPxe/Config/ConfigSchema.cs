using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>
/// The JSON Schema (draft 2020-12) of SharpPXE's configuration, made from <see cref="SettingsCatalog"/> so that
/// editors complete and check exactly the keys the program reads. docs/sharppxe.schema.json holds its output;
/// a test keeps the two equal.
/// </summary>
public static class ConfigSchema
{
    private const string Ipv4Pattern =
        @"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";

    public static JsonObject Generate()
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://sharppxe.invalid/sharppxe.schema.json",
            ["title"] = "SharpPXE configuration",
            ["description"] = "SharpPXE's own configuration format. Every key is optional; defaults are PyPXE's.",
            ["type"] = "object",
            ["additionalProperties"] = false,
        };
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        root["properties"] = properties;

        foreach (SettingDefinition definition in SettingsCatalog.All)
        {
            JsonObject parent = properties;
            string[] parts = definition.Path.Split('.');
            if (parts.Length == 2)
            {
                if (properties[parts[0]] is not JsonObject section)
                {
                    section = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["properties"] = new JsonObject(),
                    };
                    properties[parts[0]] = section;
                }

                parent = section["properties"]!.AsObject();
            }

            parent[parts[^1]] = Describe(definition);
        }

        return root;
    }

    /// <summary>The <c>rules</c> list: objects of BootRuleOptions, each with a BootRuleMatch.</summary>
    private static JsonObject RulesSchema()
    {
        static JsonObject Text() => new() { ["type"] = "string" };
        var match = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["mac"] = Text(),
                ["macPrefix"] = Text(),
                ["arch"] = new JsonObject
                {
                    ["type"] = new JsonArray("integer", "array"),
                    ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 65535 },
                },
                ["userClass"] = Text(),
                ["vendorClass"] = Text(),
            },
        };
        return new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject
                {
                    ["name"] = Text(),
                    ["match"] = match,
                    ["file"] = Text(),
                    ["nextServer"] = new JsonObject { ["type"] = "string", ["pattern"] = Ipv4Pattern },
                    ["script"] = Text(),
                    ["kernel"] = Text(),
                    ["initrds"] = new JsonObject { ["type"] = "array", ["items"] = Text() },
                    ["cmdline"] = Text(),
                    ["dhcpOptions"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = new JsonObject { ["type"] = "string" },
                    },
                },
            },
        };
    }

    private static JsonObject Describe(SettingDefinition definition)
    {
        string description = definition.Description
            + (definition.PyPxeKey is { } key ? $" PyPXE: {key}." : string.Empty)
            + (definition.Flag is { } flag ? $" Flag: {flag}." : string.Empty);
        JsonObject schema = definition.Kind switch
        {
            SettingKind.Bool => new JsonObject { ["type"] = "boolean" },
            SettingKind.Port => new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535 },
            SettingKind.WholeNumber => new JsonObject
            {
                ["type"] = "integer", ["minimum"] = definition.Minimum, ["maximum"] = definition.Maximum,
            },
            SettingKind.IPv4 or SettingKind.Netmask => definition.AllowEmpty
                ? new JsonObject { ["type"] = "string", ["pattern"] = $"^$|{Ipv4Pattern}" }
                : new JsonObject { ["type"] = "string", ["pattern"] = Ipv4Pattern },
            SettingKind.Text or SettingKind.Path => new JsonObject { ["type"] = "string" },
            SettingKind.OptionalText => new JsonObject { ["type"] = new JsonArray("string", "null") },
            SettingKind.IPv4List => new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = Ipv4Pattern },
            },
            SettingKind.ServiceList => new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["enum"] = new JsonArray(SettingsCatalog.ServiceNames.Append("all")
                        .SelectMany(n => n == "all" ? [n] : new[] { n, "-" + n })
                        .Select(n => (JsonNode)n!).ToArray()),
                },
            },
            SettingKind.Choice => new JsonObject
            {
                ["enum"] = new JsonArray(definition.Choices.Select(c => (JsonNode)c!).ToArray()),
            },
            SettingKind.Rules => RulesSchema(),
            _ => [],
        };
        schema["description"] = description;
        schema["default"] = definition.Default?.DeepClone();
        return schema;
    }
}
