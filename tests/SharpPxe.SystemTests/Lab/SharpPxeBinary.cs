namespace SharpPxe.SystemTests.Lab;

/// <summary>Where the built SharpPXE program is: src/SharpPxe.Cli/bin/Release/net10.0/sharppxe.</summary>
internal static class SharpPxeBinary
{
    /// <summary>The path of the sharppxe executable of the Release build.</summary>
    public static string Path => RepoPaths.Of("src/SharpPxe.Cli/bin/Release/net10.0/sharppxe");

    /// <summary>True when the program has been built.</summary>
    public static bool Exists => File.Exists(Path);
}
