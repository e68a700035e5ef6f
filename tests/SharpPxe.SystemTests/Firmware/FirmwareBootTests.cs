using SharpPxe.SystemTests.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Firmware;

/// <summary>
/// Real firmware network-boots from SharpPXE (issue #6): QEMU machines on the lab bridge, the netboot tree of
/// scripts/make-netboot (.state/netboot: a Debian kernel, a busybox initramfs whose /init prints a marker on ttyS0
/// and powers off, iPXE binaries and boot.ipxe). Under TCG a boot takes 25-40 s, most of it iPXE waiting ~16 s
/// for an IPv6 router that the IPv4-only lab never has; a boot counts as failed after 120 s.
/// </summary>
public class FirmwareBootTests(ITestOutputHelper output)
{
    private const string BootedMarker = "SHARPPXE-BOOTED";
    private const string FailedMarker = "SHARPPXE-FAILED";
    private const string Mac = "52:54:00:53:00:b1";
    private static readonly TimeSpan s_bootTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Row 1: the BIOS iPXE ROM as it is: full DHCP, then the script, kernel and initrd over HTTP.</summary>
    [LabFact(QemuMachine.Program)]
    public async Task Bios_IpxeRom_FullDhcp_ScriptKernelInitrdOverHttp()
    {
        string netboot = NetbootTree();
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabProcess server = await DhcpLab.StartServerAsync(srv,
        [
            "--dhcp", "--ipxe", "--http", "--tftp", "--dhcp-begin", DhcpLab.PoolBegin, "--dhcp-end", DhcpLab.PoolEnd,
            "--dhcp-router", DhcpLab.Router, "--netboot-dir", netboot, "--netboot-file", "boot.ipxe",
            "--state-dir", lab.CreateScratchDirectory("state"), "--verbose", "all",
        ]);

        await using QemuMachine vm = await QemuMachine.StartAsync(lab, new QemuMachineOptions { Mac = Mac });
        string booted;
        try
        {
            booted = await vm.WaitForSerialAsync(BootedMarker, FailedMarker, s_bootTimeout);
        }
        finally
        {
            output.WriteLine($"--- serial console of {Mac}, {vm.Elapsed.TotalSeconds:F1} s ---");
            output.WriteLine(vm.SerialText);
            output.WriteLine("--- sharppxe ---");
            output.WriteLine(server.OutputText);
        }

        output.WriteLine($"booted after {vm.Elapsed.TotalSeconds:F1} s: {booted}");
        Assert.Contains("fw=BIOS", booted, StringComparison.Ordinal);
        Assert.Contains("initrd=initramfs.gz", booted, StringComparison.Ordinal);
        Assert.True(await vm.WaitForPowerOffAsync(TimeSpan.FromSeconds(15)), "The VM did not power itself off.");

        // The server saw the whole boot as one machine's timeline.
        await server.WaitForOutputAsync(
            l => l.Contains($"timeline {Mac}", StringComparison.Ordinal)
                && l.Contains(" done: initramfs.gz", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        string[] timeline = [.. server.Lines.Select(l => l.Text)
            .Where(t => t.Contains($"timeline {Mac}", StringComparison.Ordinal))];
        Assert.Contains(timeline, t => t.Contains("DHCPACK: 198.18.0.1", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: initramfs.gz", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.EndsWith(
            "done: initramfs.gz, the last file of its boot, was served", StringComparison.Ordinal));
    }

    /// <summary>The tree of scripts/make-netboot (run by scripts/setup); fails with a hint when missing.</summary>
    private static string NetbootTree()
    {
        string dir = RepoPaths.Of(".state/netboot");
        string[] missing = [.. new[] { "vmlinuz", "initramfs.gz", "boot.ipxe" }
            .Where(f => !File.Exists(Path.Combine(dir, f)))];
        Assert.True(missing.Length == 0,
            $"{dir} lacks {string.Join(", ", missing)}: run scripts/setup (or scripts/make-netboot).");
        return dir;
    }
}
