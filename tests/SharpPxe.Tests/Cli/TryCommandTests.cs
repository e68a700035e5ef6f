using System.Collections;
using SharpPxe.Cli;
using SharpPxe.Tests.TryBoot;
using SharpPxe.TryBoot;

namespace SharpPxe.Tests.Cli;

/// <summary>
/// `sharppxe try` refuses, before it makes anything, when the host lacks root, ip, QEMU, OVMF or the demo tree, or
/// when the command line or configuration is wrong: exit 2, one line per problem with its remedy. (The boots
/// themselves are system tests.)
/// </summary>
public class TryCommandTests
{
    private static CliResult RunTry(TryHostFacts host, string programDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new SharpPxeCli(output, error, new Hashtable())
        {
            TryHost = host,
            ProgramDirectory = programDirectory,
        };
        int exitCode = cli.InvokeAsync(["try", .. args]).GetAwaiter().GetResult();
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private static string[] ErrorLines(CliResult result) =>
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Try_NotRoot_ExitsTwoWithOneLineAndItsRemedy()
    {
        using var dir = new TempDir();

        CliResult result = RunTry(TryPrerequisitesTests.Host(root: false), dir.Path,
            "uefi", "--netboot-dir", dir.Path);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(ErrorLines(result));
        Assert.StartsWith("sharppxe: error: sharppxe try uefi needs root:", line, StringComparison.Ordinal);
        Assert.Contains("run it as root", line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Try_NoQemuAndNoOvmf_OneLineEach()
    {
        using var dir = new TempDir();

        CliResult result = RunTry(TryPrerequisitesTests.Host(qemu: false, files: []), dir.Path,
            "uefi", "--netboot-dir", dir.Path);

        Assert.Equal(2, result.ExitCode);
        string[] lines = ErrorLines(result);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.Contains("needs qemu-system-x86_64", StringComparison.Ordinal)
            && l.Contains("run scripts/setup", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("needs OVMF", StringComparison.Ordinal)
            && l.Contains("install ovmf", StringComparison.Ordinal));
    }

    [Fact]
    public void Try_NoDemoTree_ExitsTwoSayingWhereItLookedAndToRunSetup()
    {
        using var dir = new TempDir();
        string state = dir.Dir("state");

        CliResult result = RunTry(TryPrerequisitesTests.Host(), dir.Path, "uefi", "--state-dir", state);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(ErrorLines(result));
        Assert.Equal($"sharppxe: error: the demo netboot tree is missing ({state}/try-netboot lacks boot.ipxe, "
            + "vmlinuz, initramfs.gz): run scripts/setup as root to make it, or give --netboot-dir DIR (or --config "
            + "FILE) to boot your own", line);
    }

    [Fact]
    public void Try_BrokenConfig_ExitsTwoWithTheSameLinesAsCheck()
    {
        using var dir = new TempDir();
        string config = dir.File("bad.json", """{ "tftp": { "prot": 69 }, "dhcp": { "begin": "198.18.0.300" } }""");

        CliResult tried = RunTry(TryPrerequisitesTests.Host(), dir.Path, "uefi", "--config", config);
        CliResult checkedConfig = CliRunner.Run("check", "--config", config);

        Assert.Equal(2, tried.ExitCode);
        Assert.Equal(2, checkedConfig.ExitCode);
        Assert.Equal(checkedConfig.Error, tried.Error);
        Assert.Contains("tftp.prot", tried.Error, StringComparison.Ordinal);
        Assert.Empty(tried.Output);
    }

    [Theory]
    [InlineData("--timeout", "5", "sharppxe: error: command line: --timeout = 5: is out of range")]
    [InlineData("--mac", "52:54:00", "sharppxe: error: command line: --mac = 52:54:00: is not a MAC address")]
    [InlineData("--mac", "01:00:5e:00:00:01",
        "sharppxe: error: command line: --mac = 01:00:5e:00:00:01: is a multicast (group) address")]
    public void Try_BadValue_ExitsTwoNamingTheFlag(string flag, string value, string expected)
    {
        using var dir = new TempDir();

        CliResult result = RunTry(TryPrerequisitesTests.Host(), dir.Path, "bios", flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(expected, Assert.Single(ErrorLines(result)), StringComparison.Ordinal);
    }

    [Fact]
    public void Try_UnknownFirmware_ExitsTwo()
    {
        CliResult result = CliRunner.Run("try", "arm");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'arm' not recognized", result.Error, StringComparison.Ordinal);
    }
}
