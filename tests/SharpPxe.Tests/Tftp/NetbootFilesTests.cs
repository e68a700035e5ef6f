using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp;

/// <summary>
/// A scratch tree: outside/secret.txt next to root/, and inside root/ files, a subdirectory, a directory
/// literally named "%2e%2e", Windows-style Boot/BCD, and symbolic links pointing in and out.
/// </summary>
public sealed class NetbootFilesTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _root;

    public NetbootFilesTests()
    {
        _root = _temp.Dir("root");
        _temp.File("secret.txt", "outside");
        _temp.File("root/pxelinux.0", "pxelinux");
        _temp.File("root/sub/grubx64.efi", "grub");
        _temp.File("root/Boot/BCD", "bcd");
        _temp.File("root/%2e%2e/secret.txt", "literal");
        _temp.File("root/etc/passwd", "served passwd");
        File.CreateSymbolicLink(Path.Combine(_root, "link-out"), Path.Combine(_temp.Path, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "link-in"), "sub/grubx64.efi");
        Directory.CreateSymbolicLink(Path.Combine(_root, "dir-out"), _temp.Path);
        Directory.CreateSymbolicLink(Path.Combine(_root, "dir-in"), "sub");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-b"), "loop-a");
    }

    public void Dispose() => _temp.Dispose();

    private NetbootFiles Files(bool caseInsensitive = false) => new(_root, caseInsensitive);

    private void AssertFound(NetbootFiles files, string requested, string expectedContent)
    {
        Assert.Equal(NetbootPathResult.Found, files.Resolve(requested, out string fullPath));
        Assert.Equal(expectedContent, File.ReadAllText(fullPath));
        Assert.StartsWith(PosixPaths.RealPath(_root, out _) + "/", fullPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pxelinux.0", "pxelinux")]
    [InlineData("/pxelinux.0", "pxelinux")]
    [InlineData("//pxelinux.0", "pxelinux")]
    [InlineData("sub/grubx64.efi", "grub")]
    [InlineData("sub\\grubx64.efi", "grub")]
    [InlineData("\\sub\\grubx64.efi", "grub")]
    [InlineData("sub//./grubx64.efi", "grub")]
    [InlineData("sub/../pxelinux.0", "pxelinux")]
    public void Resolve_FileInsideRoot_Found(string requested, string content)
    {
        AssertFound(Files(), requested, content);
    }

    [Theory]
    [InlineData("missing.efi")]
    [InlineData("sub/missing.efi")]
    [InlineData("pxelinux.0/child")]
    [InlineData("sub")]
    [InlineData("sub/")]
    [InlineData(".")]
    [InlineData("boot/bcd")]
    public void Resolve_MissingOrDirectory_NotFound(string requested)
    {
        Assert.Equal(NetbootPathResult.NotFound, Files().Resolve(requested, out string fullPath));
        Assert.Empty(fullPath);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("/../secret.txt")]
    [InlineData("..\\secret.txt")]
    [InlineData("\\..\\secret.txt")]
    [InlineData("sub/../../secret.txt")]
    [InlineData("../missing.txt")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("\\\\")]
    [InlineData("pxelinux.0\0.txt")]
    public void Resolve_EmptyNulOrClimbingOut_AccessViolation(string requested)
    {
        Assert.Equal(NetbootPathResult.AccessViolation, Files().Resolve(requested, out string fullPath));
        Assert.Empty(fullPath);
    }

    [Fact]
    public void Resolve_AbsolutePathInsideRoot_Found()
    {
        AssertFound(Files(), Path.Combine(_root, "sub", "grubx64.efi"), "grub");
    }

    [Fact]
    public void Resolve_AbsolutePathInsideRootClimbingOut_AccessViolation()
    {
        Assert.Equal(NetbootPathResult.AccessViolation, Files().Resolve(_root + "/../secret.txt", out _));
    }

    [Fact]
    public void Resolve_AbsolutePathOutsideRoot_LookedUpUnderRootNeverOnHost()
    {
        // "/etc/passwd" is root/etc/passwd; the host's file is never reached.
        AssertFound(Files(), "/etc/passwd", "served passwd");
        Assert.Equal(
            NetbootPathResult.NotFound, Files().Resolve(Path.Combine(_temp.Path, "secret.txt"), out _));
    }

    [Theory]
    [InlineData("link-out")]
    [InlineData("dir-out/secret.txt")]
    public void Resolve_SymlinkPointingOut_AccessViolation(string requested)
    {
        Assert.Equal(NetbootPathResult.AccessViolation, Files().Resolve(requested, out _));
    }

    [Theory]
    [InlineData("link-in")]
    [InlineData("dir-in/grubx64.efi")]
    public void Resolve_SymlinkInsidePointingInside_FoundAtTarget(string requested)
    {
        Assert.Equal(NetbootPathResult.Found, Files().Resolve(requested, out string fullPath));
        Assert.EndsWith("/root/sub/grubx64.efi", fullPath, StringComparison.Ordinal);
        Assert.Equal("grub", File.ReadAllText(fullPath));
    }

    [Fact]
    public void Resolve_SymlinkLoop_AccessViolation()
    {
        Assert.Equal(NetbootPathResult.AccessViolation, Files().Resolve("loop-a", out _));
    }

    [Fact]
    public void Resolve_PercentEncodedDots_LookedUpLiterally()
    {
        AssertFound(Files(), "%2e%2e/secret.txt", "literal");
        Assert.Equal(NetbootPathResult.NotFound, Files().Resolve("%2E%2E/secret.txt", out _));
        Assert.Equal(NetbootPathResult.NotFound, Files().Resolve("sub/%2e%2e/%2e%2e/secret.txt", out _));
    }

    [Theory]
    [InlineData("\\Boot\\BCD")]
    [InlineData("boot\\bcd")]
    [InlineData("BOOT/bcd")]
    [InlineData("/SUB/GRUBX64.EFI")]
    public void Resolve_CaseInsensitiveOn_MatchesEachComponent(string requested)
    {
        Assert.Equal(NetbootPathResult.Found, Files(caseInsensitive: true).Resolve(requested, out string fullPath));
        Assert.True(fullPath.EndsWith("/Boot/BCD", StringComparison.Ordinal)
            || fullPath.EndsWith("/sub/grubx64.efi", StringComparison.Ordinal), fullPath);
    }

    [Theory]
    [InlineData("boot\\bcd")]
    [InlineData("SUB/GRUBX64.EFI")]
    public void Resolve_CaseInsensitiveOff_NotFound(string requested)
    {
        Assert.Equal(NetbootPathResult.NotFound, Files(caseInsensitive: false).Resolve(requested, out _));
    }

    [Fact]
    public void Resolve_CaseInsensitiveSeveralMatches_PrefersExactThenOrdinalFirst()
    {
        _temp.File("root/Case/file", "upper");
        _temp.File("root/case/file", "lower");

        AssertFound(Files(caseInsensitive: true), "case/file", "lower");
        AssertFound(Files(caseInsensitive: true), "Case/file", "upper");
        AssertFound(Files(caseInsensitive: true), "CASE/FILE", "upper");
    }

    [Theory]
    [InlineData("../SECRET.TXT")]
    [InlineData("LINK-OUT")]
    [InlineData("DIR-OUT/secret.txt")]
    public void Resolve_CaseInsensitiveOutside_AccessViolation(string requested)
    {
        Assert.Equal(NetbootPathResult.AccessViolation, Files(caseInsensitive: true).Resolve(requested, out _));
    }

    [Fact]
    public void Resolve_MissingRoot_NotFound()
    {
        var files = new NetbootFiles(Path.Combine(_temp.Path, "nowhere"), caseInsensitive: true);

        Assert.Equal(NetbootPathResult.NotFound, files.Resolve("pxelinux.0", out _));
    }

    [Fact]
    public void Resolve_RootGivenThroughSymlink_FoundAndAbsoluteRealPathAccepted()
    {
        string alias = Path.Combine(_temp.Path, "alias");
        Directory.CreateSymbolicLink(alias, _root);
        var files = new NetbootFiles(alias, caseInsensitive: false);

        Assert.Equal(NetbootPathResult.Found, files.Resolve("pxelinux.0", out string viaAlias));
        Assert.Equal(NetbootPathResult.Found, files.Resolve(alias + "/pxelinux.0", out string absolute));
        Assert.Equal(NetbootPathResult.Found, files.Resolve(viaAlias, out string real));
        Assert.Equal(viaAlias, absolute);
        Assert.Equal(viaAlias, real);
    }
}
