namespace SharpPxe.TryBoot;

/// <summary>What the timeline needs to word its hints: the machine, and how to ask <c>sharppxe explain</c>.</summary>
/// <param name="Firmware">The VM's firmware.</param>
/// <param name="Mac">The VM's MAC.</param>
/// <param name="NetbootDir">The directory TFTP and HTTP serve.</param>
/// <param name="ConfigFile">The user's --config file, or null for the built-in demo.</param>
public sealed record TryHints(TryFirmware Firmware, string Mac, string NetbootDir, string? ConfigFile)
{
    /// <summary>True for the built-in demo, whose initramfs prints the marker.</summary>
    public bool IsDemo => ConfigFile is null;

    /// <summary>The explain command for the VM's first request: the firmware's own (BIOS: QEMU's iPXE ROM).</summary>
    public string ExplainCommand
    {
        get
        {
            string client = Firmware == TryFirmware.Uefi ? "--arch 7" : "--arch 0 --user-class iPXE";
            string source = ConfigFile is null
                ? $"--ipxe --http --netboot-file boot.ipxe --netboot-dir {NetbootDir}"
                : $"--config {ConfigFile}";
            return $"sharppxe explain --mac {Mac} {client} {source}";
        }
    }
}
