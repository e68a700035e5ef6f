using System.Text.Json.Nodes;
using SharpPxe.Config;
using SharpPxe.TryBoot;

namespace SharpPxe.Tests.TryBoot;

/// <summary>
/// The server in a try namespace keeps the user's boot rules and files and takes the namespace's network: a full
/// DHCP server at 198.18.0.1 on the bridge, TFTP on 69, JSON logs with the events the timeline shows.
/// </summary>
public class TryConfigurationTests
{
    private const string UserConfig = """
        {
          "netbootDir": "boot-files",
          "ipxe": true,
          "ipxeEfi": "snponly.efi",
          "interface": "eth7",
          "rules": [ { "name": "lab", "match": { "macPrefix": "52:54:00" }, "kernel": "vmlinuz",
                       "initrds": ["initramfs.gz"], "cmdline": "console=ttyS0" } ],
          "logging": { "format": "text", "syslogServer": "198.19.0.9" },
          "dhcp": { "mode": "proxy", "serverIp": "198.19.5.2", "begin": "198.19.5.10", "end": "198.19.5.20",
                    "router": "198.19.5.1", "staticConfig": "bindings.json", "leaseTime": 600 },
          "tftp": { "port": 6969, "serverIp": "198.19.5.2", "maxBlockSize": 1400 },
          "http": { "enabled": false, "port": 8080, "serverIp": "198.19.5.2" }
        }
        """;

    [Fact]
    public void ServerConfig_UserConfig_KeepsRulesAndFilesReplacesTheNetwork()
    {
        using var dir = new TempDir();
        ConfigBuilder builder = new();
        builder.AddFile(dir.File("user.json", UserConfig));
        Assert.Empty(builder.Errors);

        TryConfiguration.ApplyNamespace(builder, "/run/try/state");
        JsonObject config = TryConfiguration.ServerConfig(builder, TryConfiguration.BridgeName);

        // Kept: what decides the boot.
        Assert.Equal(Path.GetFullPath("boot-files"), (string?)config["netbootDir"]);
        Assert.True((bool?)config["ipxe"]);
        Assert.Equal("snponly.efi", (string?)config["ipxeEfi"]);
        Assert.Equal("lab", (string?)config["rules"]![0]!["name"]);
        Assert.Equal("600", config["dhcp"]!["leaseTime"]!.ToJsonString());
        Assert.Equal("1400", config["tftp"]!["maxBlockSize"]!.ToJsonString());
        Assert.Equal("8080", config["http"]!["port"]!.ToJsonString());

        // Replaced: the network, the state and the logs.
        Assert.Equal("br0", (string?)config["interface"]);
        Assert.Equal("/run/try/state", (string?)config["stateDir"]);
        JsonNode dhcp = config["dhcp"]!;
        Assert.Equal("full", (string?)dhcp["mode"]);
        Assert.Equal("198.18.0.1", (string?)dhcp["serverIp"]);
        Assert.Equal("198.18.0.100", (string?)dhcp["begin"]);
        Assert.Equal("198.18.0.199", (string?)dhcp["end"]);
        Assert.Equal("198.18.0.1", (string?)dhcp["router"]);
        Assert.Equal("198.18.0.1", (string?)dhcp["fileServer"]);
        Assert.Equal(string.Empty, (string?)dhcp["staticConfig"]);
        Assert.Equal("69", config["tftp"]!["port"]!.ToJsonString());
        Assert.Equal("0.0.0.0", (string?)config["tftp"]!["serverIp"]);
        Assert.True((bool?)config["http"]!["enabled"]);
        Assert.Equal("0.0.0.0", (string?)config["http"]!["serverIp"]);
        JsonNode logging = config["logging"]!;
        Assert.Equal("json", (string?)logging["format"]);
        Assert.Null(logging["syslogServer"]);
        Assert.Equal(["all"], logging["verbose"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["dhcp", "tftp"], logging["debug"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void ServerConfig_DefaultsStayDefaults_OnlyGivenSettingsAreWritten()
    {
        ConfigBuilder builder = new();
        TryConfiguration.ApplyDemo(builder, "/srv/demo");
        TryConfiguration.ApplyNamespace(builder, "/run/try/state");
        JsonObject config = TryConfiguration.ServerConfig(builder, "br0");

        Assert.Null(config["nbd"]!["port"]);
        Assert.Null(config["dhcp"]!["leaseTime"]);
        Assert.Null(config["tftp"]!["maxBlockSize"]);
    }

    [Fact]
    public void ApplyDemo_NoConfig_DemoTreeIpxeAndBootScript()
    {
        ConfigBuilder builder = new();
        TryConfiguration.ApplyDemo(builder, "/srv/demo");
        TryConfiguration.ApplyNamespace(builder, "/run/try/state");
        SharpPxeOptions options = builder.Build(checkFiles: false);

        Assert.Equal("/srv/demo", options.NetbootDir);
        Assert.True(options.Ipxe);
        Assert.Equal("boot.ipxe", options.NetbootFile);
        Assert.True(options.Http.Enabled);
        Assert.Equal(DhcpMode.Full, options.Dhcp.Mode);
    }

    [Fact]
    public void ApplyDemo_FlagGiven_TheFlagWins()
    {
        ConfigBuilder builder = CliRunner.Load("try", "uefi", "--netboot-file", "my.ipxe");
        TryConfiguration.ApplyDemo(builder, "/srv/demo");

        Assert.Equal("my.ipxe", builder.Values["netbootFile"]?.GetValue<string>());
        Assert.Equal("/srv/demo", builder.Values["netbootDir"]?.GetValue<string>());
    }

    [Fact]
    public void ServerConfig_WrittenFile_ReadsBackWithoutProblems()
    {
        using var dir = new TempDir();
        ConfigBuilder builder = new();
        builder.AddFile(dir.File("user.json", UserConfig));
        TryConfiguration.ApplyNamespace(builder, Path.Combine(dir.Path, "state"));
        string written = dir.File("server.json", TryConfiguration.ServerConfig(builder, "br0").ToJsonString());

        ConfigBuilder reread = new();
        reread.AddFile(written);

        Assert.Empty(reread.Errors);
        Assert.Equal(builder.ExplicitlySet.Order(StringComparer.Ordinal),
            reread.ExplicitlySet.Order(StringComparer.Ordinal));
    }
}
