using System.Globalization;

namespace SharpPxe.TryBoot;

/// <summary>
/// The QEMU command line of a <c>sharppxe try</c> machine. TCG only (no KVM), -nodefaults so the tap is its only
/// NIC, -nographic with the serial port on a unix socket that QEMU serves and waits for (nothing the firmware
/// writes is lost), network boot first. BIOS: SeaBIOS on i440FX with an e1000 and QEMU's iPXE ROM. UEFI: OVMF's
/// code read-only plus a copy of its variable store, q35, virtio-net with no option ROM, so that OVMF's own PXE
/// client boots (an iPXE ROM would be run instead, and OVMF has no e1000 driver).
/// </summary>
public static class TryMachine
{
    /// <summary>The QEMU program.</summary>
    public const string QemuProgram = "qemu-system-x86_64";

    /// <summary>OVMF's code (2 MB, no secure boot), package ovmf.</summary>
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE.fd";

    /// <summary>OVMF's pristine variable store; each machine gets a copy.</summary>
    public const string OvmfVars = "/usr/share/OVMF/OVMF_VARS.fd";

    /// <summary>QEMU's iPXE ROM for the e1000, package ipxe-qemu.</summary>
    public const string BiosRom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";

    /// <summary>The MAC the machine gets unless one is given (QEMU's 52:54:00 prefix).</summary>
    public const string DefaultMac = "52:54:00:5e:0c:01";

    /// <summary>Guest memory in MiB.</summary>
    public const int MemoryMiB = 512;

    /// <summary>
    /// QEMU's arguments. <paramref name="vars"/> is the machine's own copy of <see cref="OvmfVars"/> (UEFI only);
    /// <paramref name="serialSocket"/> the unix socket QEMU serves the serial port on.
    /// </summary>
    public static IReadOnlyList<string> Arguments(
        TryFirmware firmware, string mac, string tap, string serialSocket, string? vars)
    {
        ArgumentException.ThrowIfNullOrEmpty(mac);
        ArgumentException.ThrowIfNullOrEmpty(tap);
        ArgumentException.ThrowIfNullOrEmpty(serialSocket);
        bool uefi = firmware == TryFirmware.Uefi;
        List<string> args =
        [
            "-name", $"sharppxe-try-{TryPrerequisites.Name(firmware)}",
            "-machine", uefi ? "q35" : "pc", "-accel", "tcg",
            "-m", MemoryMiB.ToString(CultureInfo.InvariantCulture), "-smp", "1",
            "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
        ];
        if (uefi)
        {
            ArgumentException.ThrowIfNullOrEmpty(vars);
            args.AddRange(
            [
                "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfCode}",
                "-drive", $"if=pflash,format=raw,unit=1,file={vars}",
            ]);
        }

        string nic = uefi ? "virtio-net-pci" : "e1000";
        string rom = uefi ? string.Empty : BiosRom;
        args.AddRange(
        [
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            "-device", $"{nic},netdev=n0,mac={mac},romfile={rom},bootindex=1",
            "-boot", "n",
            "-chardev", $"socket,id=ser0,path={serialSocket},server=on,wait=on",
            "-serial", "chardev:ser0",
        ]);
        return args;
    }
}
