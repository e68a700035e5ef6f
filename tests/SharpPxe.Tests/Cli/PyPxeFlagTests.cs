using System.Text.Json.Nodes;
using SharpPxe.Config;

namespace SharpPxe.Tests.Cli;

/// <summary>
/// Every PyPXE flag (pypxe.md §3.1) parses to the setting PyPXE gives it. The expected values are written out
/// here, not taken from the catalog, so a change of meaning shows up as a failure.
/// </summary>
public class PyPxeFlagTests
{
    public static TheoryData<string[], string, string> Flags => new()
    {
        { ["--ipxe"], "ipxe", "true" },
        { ["--no-ipxe"], "ipxe", "false" },
        { ["--http"], "http.enabled", "true" },
        { ["--no-http"], "http.enabled", "false" },
        { ["--tftp"], "tftp.enabled", "true" },
        { ["--no-tftp"], "tftp.enabled", "false" },
        { ["--debug", "http,tftp"], "logging.debug", """["http","tftp"]""" },
        { ["--debug", "all,-dhcp"], "logging.debug", """["all","-dhcp"]""" },
        { ["--verbose", "dhcp"], "logging.verbose", """["dhcp"]""" },
        { ["--verbose", "ALL"], "logging.verbose", """["all"]""" },
        { ["--static-config", "bindings.json"], "dhcp.staticConfig", "\"bindings.json\"" },
        { ["--save-leases", "leases.json"], "dhcp.leasesFile", "\"leases.json\"" },
        { ["--syslog", "127.0.0.1"], "logging.syslogServer", "\"127.0.0.1\"" },
        { ["--syslog-port", "5514"], "logging.syslogPort", "5514" },
        { ["--dhcp"], "dhcp.mode", "\"full\"" },
        { ["--dhcp-proxy"], "dhcp.mode", "\"proxy\"" },
        { ["--dhcp-server-ip", "198.18.0.1"], "dhcp.serverIp", "\"198.18.0.1\"" },
        { ["--dhcp-server-port", "1067"], "dhcp.serverPort", "1067" },
        { ["--dhcp-begin", "198.18.0.100"], "dhcp.begin", "\"198.18.0.100\"" },
        { ["--dhcp-end", "198.18.0.200"], "dhcp.end", "\"198.18.0.200\"" },
        { ["--dhcp-subnet", "255.255.0.0"], "dhcp.subnet", "\"255.255.0.0\"" },
        { ["--dhcp-router", "198.18.0.254"], "dhcp.router", "\"198.18.0.254\"" },
        { ["--dhcp-dns", "198.18.0.53"], "dhcp.dns", """["198.18.0.53"]""" },
        { ["--dhcp-broadcast", "198.18.0.255"], "dhcp.broadcast", "\"198.18.0.255\"" },
        { ["--dhcp-fileserver", "198.18.0.2"], "dhcp.fileServer", "\"198.18.0.2\"" },
        { ["--dhcp-whitelist"], "dhcp.whitelist", "true" },
        { ["--http-port", "8080"], "http.port", "8080" },
        { ["--http-server-ip", "127.0.0.1"], "http.serverIp", "\"127.0.0.1\"" },
        { ["--netboot-dir", "/srv/netboot"], "netbootDir", "\"/srv/netboot\"" },
        { ["--netboot-file", "undionly.kpxe"], "netbootFile", "\"undionly.kpxe\"" },
        { ["--nbd", "disk.img"], "nbd.blockDevice", "\"disk.img\"" },
        { ["--nbd-write"], "nbd.write", "true" },
        { ["--nbd-cow"], "nbd.cow", "true" },
        { ["--nbd-cow-in-mem"], "nbd.cowInMem", "true" },
        { ["--nbd-copy-to-ram"], "nbd.copyToRam", "true" },
        { ["--nbd-server", "127.0.0.1"], "nbd.serverIp", "\"127.0.0.1\"" },
        { ["--nbd-port", "10810"], "nbd.port", "10810" },
        { ["--tftp-port", "6969"], "tftp.port", "6969" },
        { ["--tftp-server-ip", "127.0.0.1"], "tftp.serverIp", "\"127.0.0.1\"" },
    };

    /// <summary>PyPXE's defaults (server.py SETTINGS), as pypxe.md §3.1 lists them.</summary>
    public static TheoryData<string, string> Defaults => new()
    {
        { "ipxe", "false" },
        { "http.enabled", "false" },
        { "tftp.enabled", "true" },
        { "logging.debug", "[]" },
        { "logging.verbose", "[]" },
        { "dhcp.staticConfig", "\"\"" },
        { "dhcp.leasesFile", "\"\"" },
        { "logging.syslogServer", "null" },
        { "logging.syslogPort", "514" },
        { "dhcp.mode", "\"off\"" },
        { "dhcp.serverIp", "\"192.168.2.2\"" },
        { "dhcp.serverPort", "67" },
        { "dhcp.begin", "\"192.168.2.100\"" },
        { "dhcp.end", "\"192.168.2.150\"" },
        { "dhcp.subnet", "\"255.255.255.0\"" },
        { "dhcp.router", "\"192.168.2.1\"" },
        { "dhcp.dns", """["8.8.8.8"]""" },
        { "dhcp.broadcast", "\"\"" },
        { "dhcp.fileServer", "\"192.168.2.2\"" },
        { "dhcp.whitelist", "false" },
        { "http.port", "80" },
        { "http.serverIp", "\"0.0.0.0\"" },
        { "netbootDir", "\"netboot\"" },
        { "netbootFile", "\"\"" },
        { "nbd.blockDevice", "\"\"" },
        { "nbd.write", "false" },
        { "nbd.cow", "true" },
        { "nbd.cowInMem", "false" },
        { "nbd.copyToRam", "false" },
        { "nbd.serverIp", "\"0.0.0.0\"" },
        { "nbd.port", "10809" },
        { "tftp.port", "69" },
        { "tftp.serverIp", "\"0.0.0.0\"" },
    };

    [Theory]
    [MemberData(nameof(Flags))]
    public void Load_PyPxeFlag_GivesPyPxeSetting(string[] args, string path, string expectedJson)
    {
        ConfigBuilder builder = CliRunner.Load(args);

        Assert.Empty(builder.Errors);
        Assert.Equal(expectedJson, Json(builder.Values[path]));
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Load_NoFlags_GivesPyPxeDefault(string path, string expectedJson)
    {
        ConfigBuilder builder = CliRunner.Load();

        Assert.Equal(expectedJson, Json(builder.Values[path]));
    }

    [Fact]
    public void Flags_CoverEveryPyPxeKey()
    {
        // Every PyPXE key of pypxe.md §3.1 appears in the table above through its SharpPXE path.
        var tested = Flags.Select(row => (string)row[1]).ToHashSet();
        var withPyPxeKey = SettingsCatalog.All.Where(d => d.PyPxeKey is not null).Select(d => d.Path);

        Assert.All(withPyPxeKey, path => Assert.Contains(path, tested));
        Assert.Equal(33, Defaults.Count);
    }

    [Fact]
    public void Load_PyPxeCommandLine_GivesTheSameAsPyPxe()
    {
        ConfigBuilder builder = CliRunner.Load("--dhcp-proxy", "--http", "--ipxe");
        SharpPxeOptions options = ConfigJson.ToOptions(builder.Values);

        Assert.Equal(DhcpMode.Proxy, options.Dhcp.Mode);
        Assert.True(options.Http.Enabled);
        Assert.True(options.Ipxe);
        Assert.True(options.Tftp.Enabled);

        // PyPXE's derived boot file (server.py): iPXE with HTTP serves boot.http.ipxe.
        Assert.Equal("boot.http.ipxe", options.EffectiveNetbootFile);
    }

    [Theory]
    [InlineData(new string[0], "pxelinux.0")]
    [InlineData(new[] { "--ipxe" }, "boot.ipxe")]
    [InlineData(new[] { "--ipxe", "--http" }, "boot.http.ipxe")]
    [InlineData(new[] { "--ipxe", "--netboot-file", "custom.ipxe" }, "custom.ipxe")]
    public void EffectiveNetbootFile_AsPyPxeDerivesIt(string[] args, string expected)
    {
        SharpPxeOptions options = ConfigJson.ToOptions(CliRunner.Load(args).Values);

        Assert.Equal(expected, options.EffectiveNetbootFile);
    }

    [Fact]
    public void Load_RepeatedValueFlag_LastOneCounts()
    {
        // argparse's "store" keeps the last value of a repeated flag; scripts that append an override rely on it.
        ConfigBuilder builder = CliRunner.Load("--tftp-port", "6969", "--netboot-dir", "a", "--tftp-port", "7070");

        Assert.Empty(builder.Errors);
        Assert.Equal("7070", Json(builder.Values["tftp.port"]));
        Assert.Equal("\"a\"", Json(builder.Values["netbootDir"]));
    }

    [Fact]
    public void Load_ValueFlagWithTwoValues_IsAnError()
    {
        CliResult result = CliRunner.Run("check", "--tftp-port", "6969", "7070");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("7070", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NbdCowDefault_ImpliesWrite()
    {
        SharpPxeOptions options = ConfigJson.ToOptions(CliRunner.Load("--nbd", "disk.img").Values);

        Assert.True(options.Nbd.Cow);
        Assert.True(options.Nbd.EffectiveWrite);
    }

    [Fact]
    public void Load_SharpPxeFlags_SetTheirSettings()
    {
        ConfigBuilder builder = CliRunner.Load(
            "--interface", "lo", "--log-format", "json", "--state-dir", "/tmp/state", "--no-nbd-cow");

        Assert.Empty(builder.Errors);
        Assert.Equal("\"lo\"", Json(builder.Values["interface"]));
        Assert.Equal("\"json\"", Json(builder.Values["logging.format"]));
        Assert.Equal("\"/tmp/state\"", Json(builder.Values["stateDir"]));
        Assert.Equal("false", Json(builder.Values["nbd.cow"]));
    }

    [Fact]
    public void Serve_SubcommandTakesTheSameFlags()
    {
        ConfigBuilder builder = CliRunner.Load("serve", "--tftp-port", "6969");

        Assert.Equal("6969", Json(builder.Values["tftp.port"]));
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";
}
