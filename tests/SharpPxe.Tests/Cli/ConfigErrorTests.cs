using System.Collections;

namespace SharpPxe.Tests.Cli;

/// <summary>
/// Each kind of bad input exits 2 with a message that names the culprit (the key, flag or variable), the value
/// and what was expected. "{dir}" in the arguments is a scratch directory holding the files below.
/// </summary>
public class ConfigErrorTests
{
    private static readonly Dictionary<string, string> s_files = new()
    {
        ["bad-syntax-1.json"] = "{\n  \"tftp\": { \"port\": 69, }\n  \"http\": {}\n}\n",
        ["bad-syntax-2.json"] = "{ \"dhcp\": { \"mode\": \"full\" ",
        ["unknown-key.json"] = """{ "tftp": { "prot": 69 } }""",
        ["unknown-top.json"] = """{ "netbootdir": "x" }""",
        ["unknown-pypxe.json"] = """{ "TFTP_PROT": 69 }""",
        ["wrong-type-1.json"] = """{ "tftp": { "port": "sixty-nine" } }""",
        ["wrong-type-2.json"] = """{ "http": { "enabled": "yes please" } }""",
        ["wrong-type-3.json"] = """{ "dhcp": 5 }""",
        ["bad-ip.json"] = """{ "dhcp": { "router": "198.18.0.300" } }""",
        ["bad-port.json"] = """{ "nbd": { "port": 0 } }""",
        ["bad-mac-1.json"] = """{ "dhcp": { "binding": { "52:54:00:zz:00:01": { "ipaddr": "198.18.0.9" } } } }""",
        ["bad-mac-2.json"] = """{ "dhcp": { "binding": { "52:54:00:00:01": { "rom": "x" } } } }""",
        ["netboot/undionly.kpxe"] = "placeholder",
        ["static-twice.json"] = """{ "dhcp": { "binding": { "02:53:00:00:00:01": { "ipaddr": "198.18.0.120" }, """
            + "\"02:53:00:00:00:02\": { \"ipaddr\": \"198.18.0.120\" } } } }",
        ["static-router.json"] =
            """{ "dhcp": { "binding": { "02:53:00:00:00:03": { "ipaddr": "198.18.0.1" } } } }""",
    };

    public static TheoryData<string, string[], string[]> Cases => new()
    {
        // Malformed JSON, with line and column.
        { "json-1", ["check", "--config", "{dir}/bad-syntax-1.json"],
            ["bad-syntax-1.json", "line 3, column 3", "not valid JSON"] },
        { "json-2", ["check", "--config", "{dir}/bad-syntax-2.json"],
            ["bad-syntax-2.json", "line 1", "not valid JSON"] },

        // Unknown keys, with "did you mean".
        { "key-1", ["check", "--config", "{dir}/unknown-key.json"], ["tftp.prot", "did you mean port?"] },
        { "key-2", ["check", "--config", "{dir}/unknown-top.json"], ["netbootdir", "did you mean netbootDir?"] },
        { "key-3", ["check", "--config", "{dir}/unknown-pypxe.json"], ["TFTP_PROT", "did you mean TFTP_PORT?"] },
        { "flag", ["check", "--tftp-prot", "69"], ["--tftp-prot", "did you mean --tftp-port?"] },

        // Wrong types.
        { "type-1", ["check", "--config", "{dir}/wrong-type-1.json"],
            ["tftp.port", "\"sixty-nine\"", "wrong type (a string)", "port number"] },
        { "type-2", ["check", "--config", "{dir}/wrong-type-2.json"], ["http.enabled", "wrong type", "true or false"] },
        { "type-3", ["check", "--config", "{dir}/wrong-type-3.json"], ["dhcp", "wrong type", "object of settings"] },

        // Bad IPv4 addresses and netmasks.
        { "ip-1", ["check", "--no-tftp", "--dhcp", "--dhcp-server-ip", "198.18.0"],
            ["--dhcp-server-ip", "198.18.0", "not an IPv4 address"] },
        { "ip-2", ["check", "--config", "{dir}/bad-ip.json"], ["dhcp.router", "198.18.0.300", "not an IPv4 address"] },
        { "mask-1", ["check", "--no-tftp", "--dhcp", "--dhcp-subnet", "255.0.255.0"],
            ["--dhcp-subnet", "255.0.255.0", "not contiguous"] },
        { "mask-2", ["check", "--no-tftp", "--dhcp", "--dhcp-subnet", "255.255.255.256"],
            ["--dhcp-subnet", "not an IPv4 netmask"] },

        // Ports out of range.
        { "port-1", ["check", "--tftp-port", "70000"], ["--tftp-port", "70000", "1 to 65535"] },
        { "port-2", ["check", "--config", "{dir}/bad-port.json"], ["nbd.port", "= 0", "1 to 65535"] },
        { "port-3", ["check", "--http-port", "eighty"], ["--http-port", "eighty", "not a whole number"] },

        // A range whose end is before its begin.
        { "range-1", ["check", "--no-tftp", "--dhcp", "--dhcp-server-ip", "198.18.0.1", "--dhcp-begin", "198.18.0.100",
            "--dhcp-end", "198.18.0.50"],
            ["dhcp.end", "198.18.0.50", "comes before dhcp.begin 198.18.0.100"] },
        { "range-2", ["check", "--no-tftp", "--dhcp", "--dhcp-server-ip", "198.18.0.1", "--dhcp-begin", "198.18.0.2",
            "--dhcp-end", "198.18.0.1"],
            ["dhcp.end", "comes before dhcp.begin"] },

        // A pool outside the server's subnet.
        { "pool-1", ["check", "--no-tftp", "--dhcp", "--dhcp-server-ip", "198.18.0.1", "--dhcp-begin", "198.18.1.10",
            "--dhcp-end", "198.18.1.20"],
            ["dhcp.begin", "198.18.1.10", "outside the server's subnet"] },
        { "pool-2", ["check", "--no-tftp", "--dhcp", "--dhcp-server-ip", "198.18.0.1", "--dhcp-begin", "198.18.0.10",
            "--dhcp-end", "198.19.0.20"],
            ["dhcp.end", "198.19.0.20", "outside the server's subnet"] },

        // Missing directories and files a service needs.
        { "file-1", ["check", "--netboot-dir", "{dir}/no-such-dir"],
            ["netbootDir", "no-such-dir", "does not exist", "TFTP"] },
        { "file-2", ["check", "--netboot-dir", "{dir}/netboot", "--netboot-file", "pxelinux.0"],
            ["netbootFile", "pxelinux.0", "not a file in"] },
        { "file-3", ["check", "--no-tftp", "--dhcp", "--dhcp-server-ip", "198.18.0.1", "--dhcp-begin", "198.18.0.10",
            "--dhcp-end", "198.18.0.20", "--static-config", "{dir}/none.json"],
            ["dhcp.staticConfig", "none.json", "does not exist"] },

        // Bad MACs in a static-binding file.
        { "mac-1", ["check", "--netboot-dir", "{dir}/netboot", "--static-config", "{dir}/bad-mac-1.json"],
            ["dhcp.binding.52:54:00:zz:00:01", "not a MAC address"] },
        { "mac-2", ["check", "--netboot-dir", "{dir}/netboot", "--static-config", "{dir}/bad-mac-2.json"],
            ["dhcp.binding.52:54:00:00:01", "not a MAC address"] },

        // Static addresses that cannot belong to one machine.
        {
            "static-1",
            [
                "check", "--no-tftp", "--dhcp", "--dhcp-begin", "198.18.0.100", "--dhcp-end", "198.18.0.149",
                "--dhcp-router", "198.18.0.1", "--static-config", "{dir}/static-twice.json",
            ],
            ["dhcp.binding.02:53:00:00:00:02.ipaddr", "198.18.0.120", "is bound to 02:53:00:00:00:01 already"]
        },
        {
            "static-2",
            [
                "check", "--no-tftp", "--dhcp", "--dhcp-begin", "198.18.0.100", "--dhcp-end", "198.18.0.149",
                "--dhcp-router", "198.18.0.1", "--static-config", "{dir}/static-router.json",
            ],
            ["dhcp.binding.02:53:00:00:00:03.ipaddr", "198.18.0.1", "the router"]
        },

        // Conflicting flags.
        { "conflict-1", ["check", "--dhcp", "--dhcp-proxy"], ["--dhcp and --dhcp-proxy", "cannot be used together"] },
        { "conflict-2", ["check", "--tftp", "--no-tftp"], ["--tftp and --no-tftp", "cannot be used together"] },

        // Unknown --debug and --verbose services.
        { "service-1", ["check", "--debug", "dhcp,tfpt"],
            ["--debug", "\"tfpt\"", "not a service", "did you mean tftp?"] },
        { "service-2", ["check", "--verbose", "all,-htp"], ["--verbose", "\"-htp\"", "not a service"] },

        // Unknown log formats.
        { "format-1", ["check", "--log-format", "xml"], ["--log-format", "xml", "one of text, json"] },
        { "format-2", ["check", "--log-format", "jsno"], ["--log-format", "did you mean json?"] },
    };

    [Fact]
    public void Check_KnownFlagWithoutValue_SaysSoWithoutSuggestingItself()
    {
        CliResult result = CliRunner.Run("check", "--tftp-port");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("argument missing for option: '--tftp-port'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_BadInput_ExitsTwoNamingTheCulprit(string name, string[] args, string[] expected)
    {
        using var dir = new TempDir();
        foreach ((string file, string content) in s_files)
        {
            dir.File(file, content);
        }

        CliResult result = CliRunner.Run(
            args.Select(a => a.Replace("{dir}", dir.Path, StringComparison.Ordinal)).ToArray());

        Assert.True(result.ExitCode == 2, $"{name}: exit {result.ExitCode}\n{result.Error}");
        Assert.All(expected, text => Assert.Contains(text, result.Error, StringComparison.Ordinal));
        Assert.StartsWith("sharppxe: error: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SHARPPXE_TFTP__PROT", "69", "SHARPPXE_TFTP__PORT")]
    [InlineData("SHARPPXE_NETBOOT_DIR", "/srv", "SHARPPXE_NETBOOTDIR")]
    public void Check_UnknownEnvironmentVariable_ExitsTwoWithSuggestion(
        string variable,
        string value,
        string suggestion)
    {
        CliResult result = CliRunner.Run(new Hashtable { [variable] = value }, "check");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"environment: {variable} = {value}: is not a SharpPXE setting", result.Error,
            StringComparison.Ordinal);
        Assert.Contains($"did you mean {suggestion}?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BadEnvironmentValue_ExitsTwoNamingTheVariable()
    {
        CliResult result = CliRunner.Run(new Hashtable { ["SHARPPXE_TFTP__PORT"] = "99999" }, "check");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("environment: SHARPPXE_TFTP__PORT = 99999: is not a valid port", result.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SeveralProblems_ReportsEachOnItsOwnLine()
    {
        CliResult result = CliRunner.Run("check", "--tftp-port", "0", "--http-port", "65536", "--log-format", "yaml");

        Assert.Equal(2, result.ExitCode);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Check_ValidConfig_ExitsZero()
    {
        using var dir = new TempDir();
        string netboot = dir.Dir("netboot");

        CliResult result = CliRunner.Run("check", "--netboot-dir", netboot);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("is valid; it serves TFTP", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public void Check_ServiceNotBuiltYet_WarnsAndExitsZero()
    {
        using var dir = new TempDir();
        dir.File("netboot/disk.img", "x");

        CliResult result = CliRunner.Run("check", "--netboot-dir", $"{dir.Path}/netboot", "--nbd", "disk.img");

        // A service this version cannot run yet is a warning for check, and an error for serve.
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: the NBD service is not available yet", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ServiceNotBuiltYet_ExitsTwoWithOneLine()
    {
        using var dir = new TempDir();
        dir.File("netboot/disk.img", "x");

        CliResult result = CliRunner.Run("--no-tftp", "--netboot-dir", $"{dir.Path}/netboot", "--nbd", "disk.img");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "sharppxe: error: the NBD service is not available yet in this version of SharpPXE; leave out --nbd",
            result.Error.Trim());
    }

    [Fact]
    public void Serve_NoServiceEnabled_ExitsTwo()
    {
        CliResult result = CliRunner.Run("--no-tftp");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no service is enabled", result.Error, StringComparison.Ordinal);
    }
}
