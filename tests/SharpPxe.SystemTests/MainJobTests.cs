using System.Text.RegularExpressions;
using SharpPxe.SystemTests.Firmware;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests;

/// <summary>
/// The README's main job, <c>scripts/setup &amp;&amp; sharppxe try uefi</c>, as a newcomer runs it (issue #6, row 8):
/// the setup step has run before the tests (CI runs <c>scripts/setup &amp;&amp; scripts/test</c>), so this runs the
/// built program with exactly those arguments: a UEFI VM boots through SharpPXE in a namespace of its own, and the
/// timeline and verdict are printed. The firmware boots run alone (collection <see cref="FirmwareAlone"/>).
/// </summary>
[Collection(nameof(FirmwareAlone))]
public partial class MainJobTests(ITestOutputHelper output)
{
    /// <summary>Under TCG a UEFI boot takes 25-60 s; try's own limit is 180 s, this one is a backstop.</summary>
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(4);

    [LabFact(QemuMachine.Program)]
    public async Task ReadmeMainJob_TryUefi_BootsThroughSharpPxeAndPrintsTheTimeline()
    {
        string readme = await File.ReadAllTextAsync(RepoPaths.Of("README.md"));
        Assert.Contains("scripts/setup && sharppxe try uefi", readme, StringComparison.Ordinal);

        (ProcessResult result, string[] lines) = await RunTryAsync(output, "uefi");
        AssertInOrder(lines,
            "DHCP   DISCOVER from 52:54:00:5e:0c:01 (x64-uefi, PXEClient)",
            "DHCP   ACK 198.18.0.100, file ipxe.efi",
            "TFTP   ipxe.efi: 850,528 bytes in ",
            "DHCP   DISCOVER from 52:54:00:5e:0c:01 (x64-uefi, PXEClient, user class iPXE)",
            "DHCP   ACK 198.18.0.100, file http://198.18.0.1/boot.ipxe",
            "iPXE   waits for an IPv6 router",
            "HTTP   GET /boot.ipxe: 200",
            "HTTP   GET /vmlinuz: 200",
            "HTTP   GET /initramfs.gz: 200",
            "kernel ",
            "boot   SHARPPXE-BOOTED fw=UEFI",
            "verdict: booted in ");
        Assert.Matches(TimedLineRegex(), lines.First(l => l.Contains("HTTP   GET /vmlinuz", StringComparison.Ordinal)));
        Assert.Contains("the demo kernel ran its /init (fw=UEFI, kernel ", lines[^1], StringComparison.Ordinal);
        Assert.Empty(result.Error);
        await AssertNamespaceGoneAsync(result.Output);
    }

    /// <summary>Runs <c>sharppxe try FIRMWARE</c> as a user would; it must boot (exit 0). Returns its lines.</summary>
    internal static async Task<(ProcessResult Result, string[] Lines)> RunTryAsync(
        ITestOutputHelper output, string firmware)
    {
        ProcessResult result = await ProcessRunner.RunAsync(SharpPxeBinary.Path, ["try", firmware], s_limit);
        output.WriteLine(result.Output);
        output.WriteLine(result.Error);
        Assert.True(result.ExitCode == 0,
            $"sharppxe try {firmware} exited {result.ExitCode}:\n{result.Output}\n{result.Error}");
        return (result, result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The run's namespace (named in its first line) is gone when it ends.</summary>
    internal static async Task AssertNamespaceGoneAsync(string output)
    {
        Match name = NamespaceRegex().Match(output);
        Assert.True(name.Success, $"No namespace named in:\n{output}");
        Assert.DoesNotContain(name.Groups[1].Value, await NetworkLab.ListNamespacesAsync());
    }

    internal static void AssertInOrder(string[] lines, params string[] steps)
    {
        int from = 0;
        foreach (string step in steps)
        {
            int at = Array.FindIndex(lines, from, l => l.Contains(step, StringComparison.Ordinal));
            Assert.True(at >= 0, $"No '{step}' after line {from} of:\n{string.Join('\n', lines)}");
            from = at + 1;
        }
    }

    [GeneratedRegex(@"^ +\d+\.\d s  HTTP   ")]
    private static partial Regex TimedLineRegex();

    [GeneratedRegex(@"network namespace (sharppxe-try-\d+) ")]
    private static partial Regex NamespaceRegex();
}
