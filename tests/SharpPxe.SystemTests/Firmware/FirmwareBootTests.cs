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
    private readonly FirmwareBoot _boot = new(output);

    /// <summary>Row 1: the BIOS iPXE ROM as it is: full DHCP, then the script, kernel and initrd over HTTP.</summary>
    [LabFact(QemuMachine.Program)]
    public async Task Bios_IpxeRom_FullDhcp_ScriptKernelInitrdOverHttp()
    {
        const string Mac = "52:54:00:53:00:b1";
        (string booted, string[] timeline, _) = await _boot.RunAsync(new QemuMachineOptions { Mac = Mac });

        Assert.Contains("fw=BIOS", booted, StringComparison.Ordinal);
        AssertFullDhcpAndHttp(timeline);
        Assert.DoesNotContain(timeline, t => t.Contains(" TFTP: ", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
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
        (string booted, string[] timeline, string[] log) = await _boot.RunAsync(
            new QemuMachineOptions { Mac = Mac }, console: FirmwareBoot.ActAsPlainPxeRomAsync);

        Assert.Contains("fw=BIOS", booted, StringComparison.Ordinal);
        AssertFullDhcpAndHttp(timeline);
        Assert.Contains(timeline, t => t.Contains("file undionly.kpxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("TFTP: undionly.kpxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("file http://", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        FirmwareBoot.AssertInOrder(timeline, "TFTP: undionly.kpxe", "HTTP: boot.ipxe", "HTTP: vmlinuz");

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
        (string booted, string[] timeline, string[] log) = await _boot.RunAsync(QemuMachineOptions.UefiPxe(Mac));

        Assert.Contains("fw=UEFI", booted, StringComparison.Ordinal);
        AssertFullDhcpAndHttp(timeline);
        Assert.Contains(timeline, t => t.Contains("file ipxe.efi", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("TFTP: ipxe.efi", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        FirmwareBoot.AssertInOrder(timeline, "TFTP: ipxe.efi", "HTTP: boot.ipxe", "HTTP: vmlinuz");

        // edk2's size probe ends with its ERROR 8; the real download then runs with the windowsize it asked for.
        Assert.Contains(log, l => l.Contains($"({Mac}) ipxe.efi: ended by the client", StringComparison.Ordinal));
        Assert.Single(log, l => l.Contains($"({Mac}) ipxe.efi: sent, ", StringComparison.Ordinal)
            && l.Contains("windowsize 4", StringComparison.Ordinal));

        // OVMF sends no client identifier and iPXE sends 01 + MAC: one machine, one lease, one address.
        string[] acks = [.. timeline.Where(t => t.Contains("DHCPACK", StringComparison.Ordinal))];
        Assert.Equal(2, acks.Length);
        Assert.All(acks, a => Assert.Contains("DHCPACK: 198.18.0.100,", a, StringComparison.Ordinal));
    }

    /// <summary>What rows 1-3 (SharpPXE the full DHCP server) show: its DHCPACK, the initrd over HTTP.</summary>
    private static void AssertFullDhcpAndHttp(string[] timeline)
    {
        Assert.Contains(timeline, t => t.Contains("DHCPACK: 198.18.0.1", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: initramfs.gz", StringComparison.Ordinal));
    }
}

/// <summary>
/// The firmware boots run alone, after the other system tests: under TCG a VM is CPU-bound, and a busy machine
/// stretches its timings past what the ROM's 2-second Ctrl-B window tolerates.
/// </summary>
[CollectionDefinition(nameof(FirmwareAlone), DisableParallelization = true)]
public sealed class FirmwareAlone;
