namespace SharpPxe.SystemTests.Lab;

/// <summary>Runs the short administrative commands of the lab (ip, kill) and fails loudly on error.</summary>
internal static class LabCommand
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);

    /// <summary>Runs <c>ip args...</c>; throws with its stderr when it fails.</summary>
    public static Task<string> IpAsync(params string[] args) => CheckedAsync("ip", args);

    /// <summary>Runs a command to completion within 15 s; throws with its stderr when it exits non-zero.</summary>
    public static async Task<string> CheckedAsync(string program, IReadOnlyList<string> args)
    {
        ProcessResult result = await ProcessRunner.RunAsync(program, args, s_limit);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited {result.ExitCode}: {result.Error.Trim()}");
        }

        return result.Output;
    }

    /// <summary>Sends a signal to one process, by PID. Returns false when the process is already gone.</summary>
    public static async Task<bool> SignalAsync(int pid, string signal)
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], s_limit);
        return result.ExitCode == 0;
    }

    /// <summary>Writes a script and makes it executable by its owner (root).</summary>
    public static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>True while a process with this PID exists (and is not a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int end = stat.LastIndexOf(')');
            return end < 0 || end + 2 >= stat.Length || stat[end + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Finds a program in PATH and the sbin directories; null when it is not installed.</summary>
    public static string? FindProgram(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        IEnumerable<string> dirs = path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return dirs.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }
}
