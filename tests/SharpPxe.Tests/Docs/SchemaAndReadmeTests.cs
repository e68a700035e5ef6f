using System.Text.Json.Nodes;
using SharpPxe.Config;

namespace SharpPxe.Tests.Docs;

/// <summary>The documents users rely on say what the program does: the JSON Schema and the README's tables.</summary>
public class SchemaAndReadmeTests
{
    private const string SchemaFile = "docs/sharppxe.schema.json";

    [Fact]
    public void Schema_File_MatchesTheCatalog()
    {
        string expected = ConfigSchema.Generate().ToJsonString(ConfigJson.Indented) + "\n";
        string path = RepoPaths.Of(SchemaFile);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{SchemaFile} is missing; run UPDATE_DOCS=1 scripts/test to write it");
        Assert.Equal(expected, File.ReadAllText(path));
    }

    [Fact]
    public void Schema_DescribesEverySettingOfTheDefaults()
    {
        JsonObject schema = ConfigSchema.Generate();
        JsonObject defaults = ConfigBuilder.DefaultsJson();

        foreach ((string key, JsonNode? value) in defaults)
        {
            JsonNode? property = schema["properties"]![key];
            Assert.NotNull(property);
            if (value is JsonObject section)
            {
                foreach ((string inner, _) in section)
                {
                    Assert.NotNull(property["properties"]![inner]);
                }
            }
        }
    }

    [Fact]
    public void Readme_NamesEveryFlagKeyAndVariable()
    {
        string readme = File.ReadAllText(RepoPaths.Of("README.md"));

        foreach (SettingDefinition definition in SettingsCatalog.All)
        {
            Assert.Contains($"`{definition.Path}`", readme, StringComparison.Ordinal);
            if (definition.PyPxeKey is { } key)
            {
                Assert.Contains($"`{key}`", readme, StringComparison.Ordinal);
            }

            if (definition.Flag is { } flag)
            {
                Assert.Contains($"`{flag}", readme, StringComparison.Ordinal);
            }

            foreach (SettingSwitch settingSwitch in definition.Switches)
            {
                Assert.Contains($"`{settingSwitch.Flag}`", readme, StringComparison.Ordinal);
            }
        }

        Assert.Contains("`DHCP_MODE_PROXY`", readme, StringComparison.Ordinal);
    }
}
