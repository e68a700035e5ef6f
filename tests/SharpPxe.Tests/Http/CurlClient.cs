using System.Diagnostics;
using System.Text;

namespace SharpPxe.Tests.Http;

/// <summary>
/// Runs curl within a time limit, ending a late one (and only it, by its PID). A missing curl skips the tests
/// that need it, except under CI=true, where it must be installed and a missing one fails.
/// </summary>
internal static class CurlClient
{
    /// <summary>Far above any request here (the largest is 1 MiB over loopback).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Why a test that needs curl is skipped, or null when it runs.</summary>
    public static string? SkipReason()
    {
        if (Find() is not null
            || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return "curl is not installed (set CI=true to fail instead of skipping)";
    }

    /// <summary>curl's full path on PATH, or null.</summary>
    public static string? Find()
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "curl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs curl with <paramref name="args"/> in <paramref name="workingDirectory"/> to completion.</summary>
    /// <exception cref="TimeoutException">It ran longer than <see cref="Limit"/>; it has been ended.</exception>
    public static async Task<CurlRun> RunAsync(IEnumerable<string> args, string workingDirectory)
    {
        string file = Find() ?? throw new FileNotFoundException("curl is not on PATH", "curl");
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

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            string command = $"{file} {string.Join(' ', info.ArgumentList)}";
            throw new TimeoutException($"{command} ran longer than {Limit}:\n{await output}\n{await error}");
        }

        return new CurlRun(process.ExitCode, await output, await error);
    }
}

/// <summary>How one curl run ended: its exit code, its stdout (the -w lines) and its stderr.</summary>
internal sealed record CurlRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"curl exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>One response as curl's --dump-header wrote it: the status and the headers (names ignore case).</summary>
internal sealed class CurlResponse
{
    private CurlResponse(int status, Dictionary<string, string> headers)
    {
        Status = status;
        Headers = headers;
    }

    public int Status { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The header's value, or null when it was not sent.</summary>
    public string? this[string name] => Headers.GetValueOrDefault(name);

    /// <summary>Every response in a header dump, in order (curl appends one block per transfer).</summary>
    public static IReadOnlyList<CurlResponse> ParseDump(string dump)
    {
        var responses = new List<CurlResponse>();
        Dictionary<string, string>? headers = null;
        int status = 0;
        foreach (string line in dump.Split('\n'))
        {
            string text = line.TrimEnd('\r');
            if (text.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                if (headers is not null)
                {
                    responses.Add(new CurlResponse(status, headers));
                }

                status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            else if (headers is not null && text.IndexOf(':', StringComparison.Ordinal) is > 0 and int colon)
            {
                headers[text[..colon].Trim()] = text[(colon + 1)..].Trim();
            }
        }

        if (headers is not null)
        {
            responses.Add(new CurlResponse(status, headers));
        }

        return responses;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append(Status);
        foreach ((string name, string value) in Headers)
        {
            text.Append('\n').Append(name).Append(": ").Append(value);
        }

        return text.ToString();
    }
}

/// <summary>A fact that needs curl: skipped when it is missing, unless CI is "true".</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CurlFactAttribute : FactAttribute
{
    public CurlFactAttribute()
    {
        Skip = CurlClient.SkipReason();
    }
}

/// <summary>A theory that needs curl: skipped when it is missing, unless CI is "true".</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CurlTheoryAttribute : TheoryAttribute
{
    public CurlTheoryAttribute()
    {
        Skip = CurlClient.SkipReason();
    }
}
