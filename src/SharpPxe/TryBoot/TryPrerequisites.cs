namespace SharpPxe.TryBoot;

/// <summary>
/// What <c>sharppxe try</c> needs before it touches anything: root, ip(8), QEMU and the firmware. Each missing
/// piece is one line that names it and says how to get it.
/// </summary>
public static class TryPrerequisites
{
    /// <summary>The remedy every line ends with: scripts/setup installs all of it.</summary>
    public const string SetupRemedy = "run scripts/setup as root (it installs the packages)";

    /// <summary>The problems, one line each; empty when the machine can run <paramref name="firmware"/>.</summary>
    public static IReadOnlyList<string> Check(TryFirmware firmware, TryHostFacts host)
    {
        ArgumentNullException.ThrowIfNull(host);
        List<string> problems = [];
        string command = $"sharppxe try {Name(firmware)}";
        if (!host.IsRoot)
        {
            problems.Add($"{command} needs root: it makes a network namespace with a bridge and a tap for the VM; "
                + $"run it as root (sudo {command})");
        }

        if (host.FindProgram("ip") is null)
        {
            problems.Add($"{command} needs ip(8), which is missing: install iproute2, or {SetupRemedy}");
        }

        if (host.FindProgram(TryMachine.QemuProgram) is null)
        {
            problems.Add($"{command} needs {TryMachine.QemuProgram}, which is missing: install qemu-system-x86, "
                + $"or {SetupRemedy}");
        }

        if (firmware == TryFirmware.Uefi)
        {
            string[] missing = [.. new[] { TryMachine.OvmfCode, TryMachine.OvmfVars }.Where(f => !host.FileExists(f))];
            if (missing.Length > 0)
            {
                problems.Add($"{command} needs OVMF, the UEFI firmware for QEMU: {string.Join(" and ", missing)} "
                    + $"{(missing.Length == 1 ? "is" : "are")} missing; install ovmf, or {SetupRemedy}");
            }
        }
        else if (!host.FileExists(TryMachine.BiosRom))
        {
            problems.Add($"{command} needs QEMU's iPXE ROM {TryMachine.BiosRom}, which is missing: install "
                + $"ipxe-qemu, or {SetupRemedy}");
        }

        return problems;
    }

    /// <summary>"bios" or "uefi", as the command line spells it.</summary>
    public static string Name(TryFirmware firmware) => firmware == TryFirmware.Uefi ? "uefi" : "bios";
}
