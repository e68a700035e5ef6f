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
[Collection(nameof(FirmwareAlone))]
public class FirmwareBootTests(ITestOutputHelper output)
{
    private const string BootedMarker = "SHARPPXE-BOOTED";
    private const string FailedMarker = "SHARPPXE-FAILED";
    private static readonly TimeSpan s_bootTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_promptTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Row 1: the BIOS iPXE ROM as it is: full DHCP, then the script, kernel and initrd over HTTP.</summary>
    [LabFact(QemuMachine.Program)]
    public async Task Bios_IpxeRom_FullDhcp_ScriptKernelInitrdOverHttp()
    {
        const string Mac = "52:54:00:53:00:b1";
        (string booted, string[] timeline, _) = await BootAsync(new QemuMachineOptions { Mac = Mac });

        Assert.Contains("fw=BIOS", booted, StringComparison.Ordinal);
        Assert.Contains(timeline, t => t.Contains("DHCPACK: 198.18.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(timeline, t => t.Contains(" TFTP: ", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: initramfs.gz", StringComparison.Ordinal));
    }

    /// <summary>
    /// Row 2: the same ROM made to act as a plain (vendor) PXE ROM. At its prompt the harness types what the lab's
    /// PLAIN_PXE does: another user class for a DHCPv4-only exchange (no 16 s IPv6 wait), the class cleared again
    /// (iPXE would hand it on to the NBP in its cached DHCPACK) and a chain to the boot file it was given. SharpPXE
    /// must hand it undionly.kpxe over TFTP, then the script URL to undionly's own DHCP (user class iPXE).
    /// </summary>
    [LabFact(QemuMachine.Program)]
    public async Task Bios_PlainPxeRom_TftpUndionly_ThenIpxeDhcp_ScriptKernelInitrdOverHttp()
    {
        const string Mac = "52:54:00:53:00:b2";
        (string booted, string[] timeline, string[] log) = await BootAsync(
            new QemuMachineOptions { Mac = Mac }, ActAsPlainPxeRomAsync);

        Assert.Contains("fw=BIOS", booted, StringComparison.Ordinal);
        Assert.Contains(timeline, t => t.Contains("file undionly.kpxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("TFTP: undionly.kpxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("file http://", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        AssertInOrder(timeline, "TFTP: undionly.kpxe", "HTTP: boot.ipxe", "HTTP: vmlinuz");

        // Fetched once: undionly.kpxe did not inherit the typed user class and chain itself (LAB.md pitfall 4).
        Assert.Single(log, l => l.Contains($"({Mac}) undionly.kpxe: sent, ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Row 3: UEFI x64, OVMF's own PXE (edk2) on virtio-net: full DHCP (arch 7), ipxe.efi over TFTP (edk2 first
    /// asks for the size and aborts with ERROR 8, then fetches it with windowsize 4), then iPXE's DHCP and the
    /// script, kernel (EFI stub) and initrd over HTTP.
    /// </summary>
    [LabFact(QemuMachine.Program)]
    public async Task Uefi_OvmfPxe_FullDhcp_TftpIpxeEfi_ThenScriptKernelInitrdOverHttp()
    {
        const string Mac = "52:54:00:53:00:e1";
        (string booted, string[] timeline, string[] log) = await BootAsync(QemuMachineOptions.UefiPxe(Mac));

        Assert.Contains("fw=UEFI", booted, StringComparison.Ordinal);
        Assert.Contains(timeline, t => t.Contains("file ipxe.efi", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("TFTP: ipxe.efi", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        AssertInOrder(timeline, "TFTP: ipxe.efi", "HTTP: boot.ipxe", "HTTP: vmlinuz");

        // edk2's size probe ends with its ERROR 8; the real download then runs with the windowsize it asked for.
        Assert.Contains(log, l => l.Contains($"({Mac}) ipxe.efi: ended by the client", StringComparison.Ordinal));
        Assert.Single(log, l => l.Contains($"({Mac}) ipxe.efi: sent, ", StringComparison.Ordinal)
            && l.Contains("windowsize 4", StringComparison.Ordinal));

        // OVMF sends no client identifier and iPXE sends 01 + MAC: one machine, one lease, one address.
        string[] acks = [.. timeline.Where(t => t.Contains("DHCPACK", StringComparison.Ordinal))];
        Assert.Equal(2, acks.Length);
        Assert.All(acks, a => Assert.Contains("DHCPACK: 198.18.0.100,", a, StringComparison.Ordinal));
    }

    /// <summary>
    /// Boots one machine from a fresh lab and SharpPXE (DHCP, TFTP, HTTP): waits for the marker and the guest's
    /// power-off, then for the server's "done" for that MAC. <paramref name="console"/> may type into the
    /// console first. Returns the marker line, the server's timeline lines for the MAC and all its log lines.
    /// </summary>
    private async Task<(string Booted, string[] Timeline, string[] Log)> BootAsync(
        QemuMachineOptions options, Func<QemuMachine, Task>? console = null)
    {
        string netboot = NetbootTree();
        string mac = options.Mac;
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabProcess server = await DhcpLab.StartServerAsync(srv,
        [
            "--dhcp", "--ipxe", "--http", "--tftp", "--dhcp-begin", DhcpLab.PoolBegin, "--dhcp-end", DhcpLab.PoolEnd,
            "--dhcp-router", DhcpLab.Router, "--netboot-dir", netboot, "--netboot-file", "boot.ipxe",
            "--state-dir", lab.CreateScratchDirectory("state"), "--verbose", "all",
        ]);

        await using QemuMachine vm = await QemuMachine.StartAsync(lab, options);
        string booted;
        try
        {
            if (console is not null)
            {
                await console(vm);
            }

            booted = await vm.WaitForSerialAsync(BootedMarker, FailedMarker, s_bootTimeout);
        }
        finally
        {
            output.WriteLine($"--- serial console of {mac}, {vm.Elapsed.TotalSeconds:F1} s ---");
            output.WriteLine(vm.SerialText);
            output.WriteLine("--- sharppxe ---");
            output.WriteLine(server.OutputText);
        }

        output.WriteLine($"booted after {vm.Elapsed.TotalSeconds:F1} s: {booted}");
        Assert.Contains("initrd=initramfs.gz", booted, StringComparison.Ordinal);
        Assert.True(await vm.WaitForPowerOffAsync(TimeSpan.FromSeconds(15)), "The VM did not power itself off.");

        // The server saw the whole boot as one machine's timeline.
        await server.WaitForOutputAsync(
            l => l.Contains($"timeline {mac}", StringComparison.Ordinal)
                && l.Contains(" done: initramfs.gz", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        string[] log = [.. server.Lines.Select(l => l.Text)];
        string[] timeline = [.. log.Where(t => t.Contains($"timeline {mac}", StringComparison.Ordinal))];
        Assert.Contains(timeline, t => t.Contains("DHCPACK: 198.18.0.1", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: initramfs.gz", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.EndsWith(
            "done: initramfs.gz, the last file of its boot, was served", StringComparison.Ordinal));
        return (booted, timeline, log);
    }

    /// <summary>
    /// The lab's PLAIN_PXE at the iPXE ROM's prompt (LAB.md pitfalls 4 and 5): Ctrl-B, a non-iPXE user class for
    /// a DHCPv4-only exchange, the class cleared again, then a chain to the boot file from that DHCP.
    /// </summary>
    private static async Task ActAsPlainPxeRomAsync(QemuMachine vm)
    {
        int at = await vm.WaitForSerialTextAsync("Press Ctrl-B for the iPXE command line", 0, s_promptTimeout);
        await vm.TypeAsync("\x02");
        foreach (string command in (string[])
            ["set user-class LAB-PLAIN-PXE", "ifconf -c dhcp", "clear user-class", "chain ${filename}"])
        {
            at = await vm.WaitForSerialTextAsync("iPXE> ", at, s_promptTimeout);
            await vm.TypeAsync(command + "\r");
        }
    }

    private static void AssertInOrder(string[] timeline, params string[] steps)
    {
        int from = 0;
        foreach (string step in steps)
        {
            int at = Array.FindIndex(timeline, from, t => t.Contains(step, StringComparison.Ordinal));
            Assert.True(at >= 0, $"No '{step}' after line {from} of the timeline:\n{string.Join('\n', timeline)}");
            from = at + 1;
        }
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

/// <summary>
/// The firmware boots run alone, after the other system tests: under TCG a VM is CPU-bound, and a busy machine
/// stretches its timings past what the ROM's 2-second Ctrl-B window tolerates.
/// </summary>
[CollectionDefinition(nameof(FirmwareAlone), DisableParallelization = true)]
public sealed class FirmwareAlone;
