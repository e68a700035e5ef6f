using System.Diagnostics;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// Finds the real TFTP clients (curl, atftp, tftp-hpa's tftp) on PATH and runs them within a time limit,
/// ending a late one (and only it) by its PID. A missing client skips its tests, except under CI=true,
/// where CI installs them all and a missing one must fail.
/// </summary>
internal static class ClientTools
{
    public const string Curl = "curl";
    public const string Atftp = "atftp";
    public const string TftpHpa = "tftp";

    /// <summary>Why a test that needs <paramref name="tool"/> is skipped, or null when it runs.</summary>
    public static string? SkipReason(string tool)
    {
        if (Find(tool) is not null
            || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return $"{tool} is not installed (set CI=true to fail instead of skipping)";
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs <paramref name="tool"/> in <paramref name="workingDirectory"/> to completion.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="limit"/>; it has been ended.</exception>
    public static async Task<ClientResult> RunAsync(
        string tool, IEnumerable<string> args, string workingDirectory, TimeSpan limit)
    {
        string file = Find(tool) ?? throw new FileNotFoundException($"{tool} is not on PATH", tool);
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        long started = Stopwatch.GetTimestamp();
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            string command = $"{file} {string.Join(' ', info.ArgumentList)}";
            throw new TimeoutException($"{command} ran longer than {limit}:\n{await output}\n{await error}");
        }

        return new ClientResult(process.ExitCode, await output, await error, Stopwatch.GetElapsedTime(started));
    }
}

/// <summary>How a client run ended, and how long it took (for the report, never asserted).</summary>
internal sealed record ClientResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n{Output}\n{Error}";
}

/// <summary>A fact that needs a real client: skipped when it is missing, unless CI is "true".</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ClientFactAttribute : FactAttribute
{
    public ClientFactAttribute(string tool)
    {
        Tool = tool;
        Skip = ClientTools.SkipReason(tool);
    }

    public string Tool { get; }
}

/// <summary>A theory that needs a real client: skipped when it is missing, unless CI is "true".</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ClientTheoryAttribute : TheoryAttribute
{
    public ClientTheoryAttribute(string tool)
    {
        Tool = tool;
        Skip = ClientTools.SkipReason(tool);
    }

    public string Tool { get; }
}
