namespace SharpPxe.Tftp;

/// <summary>
/// Maps a file name asked for by a network client (TFTP now, HTTP later) to a regular file inside one root
/// directory, and refuses everything else. Thread-safe; it holds no state but its settings.
/// </summary>
/// <remarks>
/// <para>Names are literal: nothing is percent-decoded, so "%2e%2e" is a name like any other. Backslashes
/// become slashes (Windows loaders ask for \Boot\BCD).</para>
/// <para>An absolute name that starts with the root (as configured or as its real path) is used as it is.
/// Any other name has its leading slashes stripped and is looked up under the root, as PyPXE and dnsmasq
/// do: clients commonly ask for "/pxelinux.0". So "/etc/passwd" means root/etc/passwd, never the host's.</para>
/// <para>Then two checks, both against the root: ".." is resolved on the text first, and a name that
/// climbs out of the root is refused before the file system is touched (so the answer never tells whether
/// something outside exists); then symbolic links are resolved with realpath(3), and a real path outside
/// the root's real path is refused too. Links inside the root that stay inside are fine.</para>
/// <para>A directory is "not found". Other special files (FIFOs, devices) are not told apart: the root is
/// the administrator's. Between <see cref="Resolve"/> and the open, a link could still be swapped by
/// someone who can write inside the root; such a person can already change what is served.</para>
/// </remarks>
public sealed class NetbootFiles
{
    private readonly string _root;
    private readonly bool _caseInsensitive;

    /// <param name="root">The directory files are served from; made absolute, it need not exist yet.</param>
    /// <param name="caseInsensitive">
    /// When the exact name does not exist, match each component of it against the directory's entries
    /// without regard to case.
    /// </param>
    public NetbootFiles(string root, bool caseInsensitive)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _caseInsensitive = caseInsensitive;
    }

    /// <summary>The root directory as an absolute path without a trailing slash.</summary>
    public string Root => _root;

    /// <summary>Whether names are matched without regard to case when the exact name is missing.</summary>
    public bool CaseInsensitive => _caseInsensitive;

    /// <summary>
    /// Resolves <paramref name="requested"/>; on <see cref="NetbootPathResult.Found"/>,
    /// <paramref name="fullPath"/> is the file's real path (otherwise empty).
    /// </summary>
    public NetbootPathResult Resolve(string requested, out string fullPath)
    {
        fullPath = string.Empty;
        if (string.IsNullOrEmpty(requested) || requested.Contains('\0', StringComparison.Ordinal))
        {
            return NetbootPathResult.AccessViolation;
        }

        string? realRoot = PosixPaths.RealPath(_root, out _);
        if (realRoot is null)
        {
            return NetbootPathResult.NotFound;
        }

        string name = requested.Replace('\\', '/');
        string baseDirectory;
        string candidate;
        if (name.StartsWith('/') && (IsInside(name, _root) || IsInside(name, realRoot)))
        {
            baseDirectory = IsInside(name, _root) ? _root : realRoot;
            candidate = Path.GetFullPath(name);
        }
        else
        {
            string relative = name.TrimStart('/');
            if (relative.Length == 0)
            {
                return NetbootPathResult.AccessViolation;
            }

            baseDirectory = _root;
            candidate = Path.GetFullPath(Path.Join(_root, relative));
        }

        // ".." on the text: a name that climbs out is refused without looking at the file system.
        if (!IsInside(candidate, baseDirectory))
        {
            return candidate == baseDirectory ? NetbootPathResult.NotFound : NetbootPathResult.AccessViolation;
        }

        string? real = PosixPaths.RealPath(candidate, out int error);
        if (real is null && _caseInsensitive && IsMissing(error)
            && FindIgnoringCase(baseDirectory, candidate) is string match)
        {
            real = PosixPaths.RealPath(match, out error);
        }

        if (real is null)
        {
            return IsMissing(error) ? NetbootPathResult.NotFound : NetbootPathResult.AccessViolation;
        }

        // Symbolic links: what is opened is the real path, and it must be inside the real root.
        if (!IsInside(real, realRoot))
        {
            return real == realRoot ? NetbootPathResult.NotFound : NetbootPathResult.AccessViolation;
        }

        if (Directory.Exists(real))
        {
            return NetbootPathResult.NotFound;
        }

        fullPath = real;
        return NetbootPathResult.Found;
    }

    private static bool IsMissing(int error) =>
        error is PosixPaths.NoSuchEntry or PosixPaths.NotADirectory;

    /// <summary>Whether <paramref name="path"/> is strictly below <paramref name="directory"/>.</summary>
    private static bool IsInside(string path, string directory)
    {
        if (directory == "/")
        {
            return path.Length > 1 && path[0] == '/';
        }

        return path.Length > directory.Length + 1
            && path.StartsWith(directory, StringComparison.Ordinal)
            && path[directory.Length] == '/';
    }

    /// <summary>
    /// Walks <paramref name="candidate"/> below <paramref name="baseDirectory"/> one component at a time,
    /// taking the exact name when it exists and otherwise the entry that equals it without regard to case
    /// (the first in ordinal order when several do). Null when a component has no match.
    /// </summary>
    private static string? FindIgnoringCase(string baseDirectory, string candidate)
    {
        string current = baseDirectory;
        string[] components = Path.GetRelativePath(baseDirectory, candidate)
            .Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            foreach (string component in components)
            {
                string exact = Path.Join(current, component);
                if (File.Exists(exact) || Directory.Exists(exact))
                {
                    current = exact;
                    continue;
                }

                string? found = null;
                foreach (string entry in Directory.EnumerateFileSystemEntries(current))
                {
                    string entryName = Path.GetFileName(entry);
                    if (string.Equals(entryName, component, StringComparison.OrdinalIgnoreCase)
                        && (found is null || string.CompareOrdinal(entryName, Path.GetFileName(found)) < 0))
                    {
                        found = entry;
                    }
                }

                if (found is null)
                {
                    return null;
                }

                current = found;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return current;
    }
}
