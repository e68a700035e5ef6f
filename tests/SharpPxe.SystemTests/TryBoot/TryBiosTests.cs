using SharpPxe.SystemTests.Firmware;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.TryBoot;

/// <summary>
/// <c>sharppxe try bios</c> as a user runs it (issue #6): SeaBIOS with QEMU's iPXE ROM asks SharpPXE straight away as
/// iPXE, gets the script URL, and boots the demo kernel over HTTP; while iPXE waits for an IPv6 router the timeline
/// says so instead of going quiet.
/// </summary>
[Collection(nameof(FirmwareAlone))]
public class TryBiosTests(ITestOutputHelper output)
{
    [LabFact(QemuMachine.Program)]
    public async Task TryBios_Demo_BootsThroughIpxeOverHttpAndExplainsTheIpv6Wait()
    {
        (ProcessResult result, string[] lines) = await MainJobTests.RunTryAsync(output, "bios");
        MainJobTests.AssertInOrder(lines,
            "VM:     SeaBIOS with QEMU's iPXE ROM, e1000, MAC 52:54:00:5e:0c:01",
            "DHCP   DISCOVER from 52:54:00:5e:0c:01 (x86-bios, PXEClient, user class iPXE)",
            "DHCP   ACK 198.18.0.100, file http://198.18.0.1/boot.ipxe",
            "iPXE   waits for an IPv6 router",
            "HTTP   GET /boot.ipxe: 200",
            "HTTP   GET /vmlinuz: 200",
            "HTTP   GET /initramfs.gz: 200",
            "kernel ",
            "boot   SHARPPXE-BOOTED fw=BIOS",
            "verdict: booted in ");
        Assert.DoesNotContain(lines, l => l.Contains(" s  TFTP   ", StringComparison.Ordinal));
        Assert.Contains("the demo kernel ran its /init (fw=BIOS, kernel ", lines[^1], StringComparison.Ordinal);
        Assert.Empty(result.Error);
        await MainJobTests.AssertNamespaceGoneAsync(result.Output);
    }
}
