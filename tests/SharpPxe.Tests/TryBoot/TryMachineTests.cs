using SharpPxe.TryBoot;

namespace SharpPxe.Tests.TryBoot;

/// <summary>The QEMU command line: the flags the firmware tests proved (LAB.md), one NIC, TCG only.</summary>
public class TryMachineTests
{
    [Fact]
    public void Arguments_Uefi_OvmfPflashQ35VirtioWithoutRom()
    {
        string args = string.Join(' ',
            TryMachine.Arguments(TryFirmware.Uefi, "52:54:00:00:00:01", "tap0", "/w/serial.sock", "/w/VARS.fd"));

        Assert.Contains("-machine q35 -accel tcg", args, StringComparison.Ordinal);
        Assert.Contains("-nodefaults -no-user-config -nographic -no-reboot", args, StringComparison.Ordinal);
        Assert.Contains($"-drive if=pflash,format=raw,unit=0,readonly=on,file={TryMachine.OvmfCode}", args,
            StringComparison.Ordinal);
        Assert.Contains("-drive if=pflash,format=raw,unit=1,file=/w/VARS.fd", args, StringComparison.Ordinal);
        Assert.Contains("-netdev tap,id=n0,ifname=tap0,script=no,downscript=no", args, StringComparison.Ordinal);
        Assert.Contains("-device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:01,romfile=,bootindex=1", args,
            StringComparison.Ordinal);
        Assert.Contains("-chardev socket,id=ser0,path=/w/serial.sock,server=on,wait=on -serial chardev:ser0", args,
            StringComparison.Ordinal);
        Assert.DoesNotContain("kvm", args, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_Bios_SeaBiosE1000WithIpxeRomAndNoPflash()
    {
        string args = string.Join(' ',
            TryMachine.Arguments(TryFirmware.Bios, "52:54:00:00:00:02", "tap0", "/w/serial.sock", null));

        Assert.Contains("-machine pc -accel tcg", args, StringComparison.Ordinal);
        Assert.Contains($"-device e1000,netdev=n0,mac=52:54:00:00:00:02,romfile={TryMachine.BiosRom},bootindex=1",
            args, StringComparison.Ordinal);
        Assert.DoesNotContain("pflash", args, StringComparison.Ordinal);
        Assert.Contains("-boot n", args, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_UefiWithoutVarsCopy_Refused()
    {
        Assert.Throws<ArgumentNullException>(() =>
            TryMachine.Arguments(TryFirmware.Uefi, "52:54:00:00:00:01", "tap0", "/w/serial.sock", null));
    }
}
