using SharpPxe.SystemTests.Firmware;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.TryBoot;

/// <summary>
/// A broken configuration makes <c>sharppxe try uefi --config FILE</c> fail with the step and the reason (issue #6):
/// a rule naming a boot file the netboot directory lacks (the server refuses the TFTP request: caught at once), and
/// an architecture map that hands UEFI a BIOS loader (the firmware downloads it and refuses to start it). Each
/// fails within seconds of OVMF's DHCP, so both together cost about half a UEFI boot.
/// </summary>
[Collection(nameof(FirmwareAlone))]
public class TryBrokenConfigTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);

    [LabFact(QemuMachine.Program)]
    public async Task TryUefi_RuleNamesAMissingBootFile_FailsAtTftpWithTheReason()
    {
        (ProcessResult result, string config) = await TryWithRuleAsync("""{ "arch": [7] }""", "ipxe-x64.efi");

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        MainJobTests.AssertInOrder(lines,
            "DHCP   ACK 198.18.0.100, file ipxe-x64.efi",
            "TFTP   ipxe-x64.efi: refused with ERROR 1 (file not found)");
        Assert.StartsWith("verdict: FAILED at step TFTP ipxe-x64.efi: file not found (ERROR 1) — ", lines[^1],
            StringComparison.Ordinal);
        Assert.Contains($"has no ipxe-x64.efi", lines[^1], StringComparison.Ordinal);
        Assert.Contains($"--arch 7 --config {config}", lines[^1], StringComparison.Ordinal);
        await MainJobTests.AssertNamespaceGoneAsync(result.Output);
    }

    [LabFact(QemuMachine.Program)]
    public async Task TryUefi_ArchMapGivesUefiTheBiosLoader_FailsWhenTheFirmwareRefusesIt()
    {
        (ProcessResult result, _) = await TryWithRuleAsync("""{ "arch": [7] }""", "undionly.kpxe");

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The firmware's line and the server's end of the transfer come at about the same time, in either order.
        const string Ack = "DHCP   ACK 198.18.0.100, file undionly.kpxe";
        MainJobTests.AssertInOrder(lines, Ack, "VM     BdsDxe: failed to load");
        MainJobTests.AssertInOrder(lines, Ack, "TFTP   undionly.kpxe: 74,213 bytes in ");
        Assert.StartsWith("verdict: FAILED at step TFTP undionly.kpxe: the firmware could not start what it "
            + "downloaded: ", lines[^1], StringComparison.Ordinal);
        Assert.Contains("undionly.kpxe is not an EFI program", lines[^1], StringComparison.Ordinal);
        await MainJobTests.AssertNamespaceGoneAsync(result.Output);
    }

    /// <summary>Runs try uefi with a config whose one rule gives <paramref name="file"/> to what matches.</summary>
    private async Task<(ProcessResult Result, string Config)> TryWithRuleAsync(string match, string file)
    {
        string dir = Directory.CreateTempSubdirectory("sharppxe-try-test-").FullName;
        try
        {
            string config = Path.Combine(dir, "broken.json");
            await File.WriteAllTextAsync(config, $$"""
                {
                  "netbootDir": "{{RepoPaths.Of(".state/netboot")}}",
                  "ipxe": true,
                  "http": { "enabled": true },
                  "rules": [ { "name": "broken", "match": {{match}}, "file": "{{file}}" } ]
                }
                """);
            ProcessResult result = await ProcessRunner.RunAsync(
                SharpPxeBinary.Path, ["try", "uefi", "--config", config], s_limit);
            output.WriteLine(result.Output);
            output.WriteLine(result.Error);
            return (result, config);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
