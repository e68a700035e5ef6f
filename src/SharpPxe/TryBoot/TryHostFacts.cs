namespace SharpPxe.TryBoot;

/// <summary>
/// What <see cref="TryPrerequisites"/> asks of the host, as functions so that a test can stand in for a host that
/// lacks root, qemu or OVMF.
/// </summary>
/// <param name="IsRoot">Whether this process may make namespaces, bridges and taps.</param>
/// <param name="FindProgram">The full path of a program on the PATH (or in /usr/sbin, /sbin), or null.</param>
/// <param name="FileExists">Whether a file exists.</param>
public sealed record TryHostFacts(bool IsRoot, Func<string, string?> FindProgram, Func<string, bool> FileExists)
{
    /// <summary>This machine, this process.</summary>
    public static TryHostFacts Current { get; } =
        new(Environment.IsPrivilegedProcess, FindOnPath, File.Exists);

    /// <summary>Looks for an executable in $PATH, then in /usr/sbin and /sbin (ip lives there).</summary>
    public static string? FindOnPath(string program)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        IEnumerable<string> dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
