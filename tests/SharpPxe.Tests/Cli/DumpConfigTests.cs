using System.Collections;
using System.Text.Json.Nodes;
using SharpPxe.Config;

namespace SharpPxe.Tests.Cli;

public class DumpConfigTests
{
    private static readonly string[] s_dozenFlags =
    [
        "--dhcp", "--dhcp-server-ip", "198.18.0.1", "--dhcp-begin", "198.18.0.10", "--dhcp-end", "198.18.0.90",
        "--dhcp-router", "198.18.0.254", "--dhcp-dns", "198.18.0.53,198.18.0.54", "--http", "--http-port", "8080",
        "--ipxe", "--tftp-port", "6969", "--verbose", "all,-nbd", "--log-format", "json", "--netboot-file",
        "undionly.kpxe", "--dhcp-whitelist", "--syslog-port", "5514",
    ];

    [Fact]
    public void DumpConfigMerged_FedBackWithConfig_GivesTheSameMergedConfig()
    {
        using var dir = new TempDir();
        CliResult first = CliRunner.Run(s_dozenFlags.Append("--dump-config-merged").ToArray());
        Assert.Equal(0, first.ExitCode);
        string file = dir.File("merged.json", first.Output);

        CliResult second = CliRunner.Run("--config", file, "--dump-config-merged");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Output, second.Output);
        JsonObject merged = JsonNode.Parse(second.Output)!.AsObject();
        Assert.Equal("full", merged["dhcp"]!["mode"]!.GetValue<string>());
        Assert.Equal(8080, merged["http"]!["port"]!.GetValue<int>());
        Assert.Equal(2, merged["dhcp"]!["dns"]!.AsArray().Count);
        Assert.True(merged["dhcp"]!["whitelist"]!.GetValue<bool>());
    }

    [Fact]
    public void DumpConfig_PrintsTheDefaultsInSharpPxeFormat()
    {
        CliResult result = CliRunner.Run("--dump-config", "--tftp-port", "6969");

        Assert.Equal(0, result.ExitCode);
        JsonObject dumped = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal(69, dumped["tftp"]!["port"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(ConfigBuilder.DefaultsJson(), dumped));
    }

    [Fact]
    public void DumpConfigMerged_Precedence_FileThenEnvironmentThenFlags()
    {
        using var dir = new TempDir();
        string file = dir.File("c.json",
            """{ "tftp": { "port": 1001 }, "http": { "port": 1002 }, "nbd": { "port": 1003 } }""");
        var environment = new Hashtable { ["SHARPPXE_HTTP__PORT"] = "2002", ["SHARPPXE_NBD__PORT"] = "2003" };

        CliResult result = CliRunner.Run(environment, "--config", file, "--nbd-port", "3003", "--dump-config-merged");

        Assert.Equal(0, result.ExitCode);
        JsonNode merged = JsonNode.Parse(result.Output)!;
        Assert.Equal(1001, merged["tftp"]!["port"]!.GetValue<int>());
        Assert.Equal(2002, merged["http"]!["port"]!.GetValue<int>());
        Assert.Equal(3003, merged["nbd"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public void Defaults_RoundTripThroughTheOptionsModel()
    {
        // Every catalog setting has a property of the same name in SharpPxeOptions, and back.
        JsonObject defaults = ConfigBuilder.DefaultsJson();
        SharpPxeOptions options = ConfigJson.ToOptions(new ConfigBuilder().Values);

        JsonObject again = ConfigJson.FromOptions(options);

        Assert.True(JsonNode.DeepEquals(defaults, again), $"{defaults.ToJsonString()}\n{again.ToJsonString()}");
    }
}
