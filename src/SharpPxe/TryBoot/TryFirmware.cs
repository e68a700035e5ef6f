namespace SharpPxe.TryBoot;

/// <summary>The firmware a <c>sharppxe try</c> machine starts with.</summary>
public enum TryFirmware
{
    /// <summary>SeaBIOS with QEMU's iPXE ROM on an e1000: DHCP, then the boot script over HTTP.</summary>
    Bios,

    /// <summary>OVMF (UEFI x64) with its own PXE client on virtio-net: DHCP, TFTP of iPXE, then HTTP.</summary>
    Uefi,
}
