namespace SharpPxe.TryBoot;

/// <summary>
/// The built-in demo's netboot tree: a kernel, an initramfs whose /init prints <see cref="TrySerial.BootedMarker"/>
/// and powers off, and boot.ipxe. scripts/setup makes it (scripts/make-netboot) and puts a copy in the state
/// directory; a build inside the repository also finds the repository's own <c>.state/netboot</c>.
/// </summary>
public static class TryDemoTree
{
    /// <summary>The tree's name inside the state directory.</summary>
    public const string DirectoryName = "try-netboot";

    /// <summary>The files the demo boots with.</summary>
    public static readonly IReadOnlyList<string> Files = ["boot.ipxe", "vmlinuz", "initramfs.gz"];

    /// <summary>
    /// Where to look, in order: <c>STATE/try-netboot</c>, then <c>.state/netboot</c> of the repository that holds
    /// <paramref name="programDirectory"/> (the directory of the running program), if any.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string stateDir, string programDirectory)
    {
        ArgumentNullException.ThrowIfNull(stateDir);
        List<string> candidates = [Path.Combine(stateDir, DirectoryName)];
        for (string? dir = programDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SharpPxe.slnx")))
            {
                candidates.Add(Path.Combine(dir, ".state", "netboot"));
                break;
            }
        }

        return candidates;
    }

    /// <summary>The first candidate that has every file of <see cref="Files"/>, or null.</summary>
    public static string? Find(IEnumerable<string> candidates, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(fileExists);
        return candidates.FirstOrDefault(dir => Files.All(f => fileExists(Path.Combine(dir, f))));
    }

    /// <summary>The one line that says the tree is missing, where it was looked for, and the remedy.</summary>
    public static string Problem(IReadOnlyList<string> candidates, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(fileExists);
        IEnumerable<string> where = candidates.Select(dir =>
        {
            string[] missing = [.. Files.Where(f => !fileExists(Path.Combine(dir, f)))];
            return $"{dir} lacks {string.Join(", ", missing)}";
        });
        return $"the demo netboot tree is missing ({string.Join("; ", where)}): run scripts/setup as root to make "
            + "it, or give --netboot-dir DIR (or --config FILE) to boot your own";
    }
}
