namespace SharpPxe.SystemTests;

/// <summary>Finds files of the repository from the test's output directory.</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "SharpPxe.slnx")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("The repository root (SharpPxe.slnx) was not found.");
        }
    }

    public static string Of(string relative) => Path.Combine(Root, relative);
}
