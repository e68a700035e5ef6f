using System.Diagnostics;

namespace SharpPxe.TryBoot;

/// <summary>Runs a short command (ip, sysctl) to its end, with a time limit.</summary>
internal static class TryCommand
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(20);

    /// <summary>Runs it; throws <see cref="TryException"/> naming the command when it fails or overruns.</summary>
    public static async Task<string> RunAsync(string program, params string[] args)
    {
        (int code, string output, string error) = await TryRunAsync(program, args).ConfigureAwait(false);
        if (code != 0)
        {
            throw new TryException(
                $"{program} {string.Join(' ', args)} failed (exit code {code}): {error.Trim()}");
        }

        return output;
    }

    /// <summary>How a child is started: its arguments as given (no shell), all three standard streams piped.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs it and returns its exit code and output; ends it by PID when it overruns.</summary>
    public static async Task<(int Code, string Output, string Error)> TryRunAsync(string program, string[] args)
    {
        ProcessStartInfo info = StartInfo(program, args);
        using Process process = Process.Start(info)
            ?? throw new TryException($"{program} could not be started");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(s_limit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw new TryException(
                $"{program} {string.Join(' ', args)} did not finish within {s_limit.TotalSeconds} s");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
