using SharpPxe.TryBoot;

namespace SharpPxe.Tests.TryBoot;

/// <summary>Where `sharppxe try` finds the demo's kernel, initramfs and boot.ipxe.</summary>
public class TryDemoTreeTests
{
    [Fact]
    public void Candidates_InsideTheRepository_StateDirFirstThenTheRepositorysTree()
    {
        IReadOnlyList<string> candidates =
            TryDemoTree.Candidates("/var/lib/sharppxe", Path.Combine(RepoPaths.Root, "src", "x", "bin"));

        Assert.Equal(["/var/lib/sharppxe/try-netboot", Path.Combine(RepoPaths.Root, ".state", "netboot")],
            candidates);
    }

    [Fact]
    public void Candidates_OutsideARepository_OnlyTheStateDir()
    {
        using var dir = new TempDir();

        Assert.Equal(["/srv/state/try-netboot"], TryDemoTree.Candidates("/srv/state", dir.Path));
    }

    [Fact]
    public void Find_FirstCompleteTreeWins()
    {
        using var dir = new TempDir();
        dir.File("a/boot.ipxe", "#!ipxe\n");
        foreach (string file in TryDemoTree.Files)
        {
            dir.File($"b/{file}", "x");
            dir.File($"c/{file}", "x");
        }

        string[] candidates = [.. new[] { "a", "b", "c" }.Select(d => Path.Combine(dir.Path, d))];

        Assert.Equal(candidates[1], TryDemoTree.Find(candidates, File.Exists));
        Assert.Null(TryDemoTree.Find(candidates[..1], File.Exists));
    }

    [Fact]
    public void Problem_NamesWhatIsMissingWhereAndTheRemedy()
    {
        string problem = TryDemoTree.Problem(["/s/try-netboot", "/repo/.state/netboot"],
            path => path == "/repo/.state/netboot/boot.ipxe");

        Assert.Equal("the demo netboot tree is missing (/s/try-netboot lacks boot.ipxe, vmlinuz, initramfs.gz; "
            + "/repo/.state/netboot lacks vmlinuz, initramfs.gz): run scripts/setup as root to make it, or give "
            + "--netboot-dir DIR (or --config FILE) to boot your own", problem);
    }
}
