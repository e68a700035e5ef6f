using SharpPxe.TryBoot;

namespace SharpPxe.Tests.TryBoot;

/// <summary>What `sharppxe try` needs of the host: each missing piece is one line naming it and its remedy.</summary>
public class TryPrerequisitesTests
{
    private static readonly string[] s_firmwareFiles = [TryMachine.OvmfCode, TryMachine.OvmfVars, TryMachine.BiosRom];

    internal static TryHostFacts Host(
        bool root = true, bool ip = true, bool qemu = true, IEnumerable<string>? files = null)
    {
        var present = new HashSet<string>(files ?? s_firmwareFiles, StringComparer.Ordinal);
        return new TryHostFacts(root,
            program => program switch
            {
                "ip" when ip => "/usr/sbin/ip",
                TryMachine.QemuProgram when qemu => "/usr/bin/" + TryMachine.QemuProgram,
                _ => null,
            },
            present.Contains);
    }

    [Theory]
    [InlineData(TryFirmware.Uefi)]
    [InlineData(TryFirmware.Bios)]
    public void Check_EverythingPresent_NoProblem(TryFirmware firmware)
    {
        Assert.Empty(TryPrerequisites.Check(firmware, Host()));
    }

    [Fact]
    public void Check_NotRoot_OneLineSayingWhyAndHow()
    {
        string problem = Assert.Single(TryPrerequisites.Check(TryFirmware.Uefi, Host(root: false)));

        Assert.StartsWith("sharppxe try uefi needs root:", problem, StringComparison.Ordinal);
        Assert.Contains("network namespace", problem, StringComparison.Ordinal);
        Assert.Contains("run it as root", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void Check_NoQemu_NamesTheProgramItsPackageAndSetup()
    {
        string problem = Assert.Single(TryPrerequisites.Check(TryFirmware.Bios, Host(qemu: false)));

        Assert.Equal("sharppxe try bios needs qemu-system-x86_64, which is missing: install qemu-system-x86, or "
            + "run scripts/setup as root (it installs the packages)", problem);
    }

    [Fact]
    public void Check_NoIp_NamesIproute2()
    {
        string problem = Assert.Single(TryPrerequisites.Check(TryFirmware.Uefi, Host(ip: false)));

        Assert.Contains("needs ip(8)", problem, StringComparison.Ordinal);
        Assert.Contains("install iproute2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UefiWithoutOvmf_OneLineNamingBothFilesAndThePackage()
    {
        string problem = Assert.Single(TryPrerequisites.Check(TryFirmware.Uefi, Host(files: [TryMachine.BiosRom])));

        Assert.Contains($"{TryMachine.OvmfCode} and {TryMachine.OvmfVars} are missing", problem,
            StringComparison.Ordinal);
        Assert.Contains("install ovmf, or run scripts/setup", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BiosWithoutOvmf_NeedsOnlyTheRom()
    {
        Assert.Empty(TryPrerequisites.Check(TryFirmware.Bios, Host(files: [TryMachine.BiosRom])));
        string problem = Assert.Single(TryPrerequisites.Check(TryFirmware.Bios, Host(files: [])));
        Assert.Contains(TryMachine.BiosRom, problem, StringComparison.Ordinal);
        Assert.Contains("install ipxe-qemu", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SeveralMissing_OneLineEach()
    {
        IReadOnlyList<string> problems =
            TryPrerequisites.Check(TryFirmware.Uefi, Host(root: false, qemu: false, files: []));

        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Contains("sharppxe try uefi needs", p, StringComparison.Ordinal));
    }
}
