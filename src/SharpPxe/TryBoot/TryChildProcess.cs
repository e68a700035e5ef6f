using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SharpPxe.TryBoot;

/// <summary>
/// A program <c>sharppxe try</c> started (the server, QEMU, usually through <c>ip netns exec</c>, which execs the
/// program so the PID is the program's own). Its output arrives line by line; it is ended by its PID only: SIGTERM,
/// then SIGKILL after a grace period.
/// </summary>
internal sealed partial class TryChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private const int TailLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _lock = new();

    private TryChildProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The program's PID.</summary>
    public int Pid { get; private set; }

    /// <summary>True once it ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code once it ended.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines it wrote (both streams), for messages.</summary>
    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_lock)
            {
                return [.. _tail];
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/>; each line of its output goes to <paramref name="onLine"/> (from a pool
    /// thread). Standard input is an empty pipe. Variables named in <paramref name="unset"/> are removed from its
    /// environment.
    /// </summary>
    public static TryChildProcess Start(
        string program, IEnumerable<string> args, string workingDirectory, Action<string>? onLine,
        IEnumerable<string>? unset = null)
    {
        ProcessStartInfo info = TryCommand.StartInfo(program, args);
        info.WorkingDirectory = workingDirectory;

        foreach (string name in unset ?? [])
        {
            info.Environment.Remove(name);
        }

        var process = new Process { StartInfo = info };
        var child = new TryChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Receive(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => child.Receive(e.Data, onLine);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        child.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for it to end.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Ends it if it still runs: SIGTERM to its PID, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(Pid, SigTerm);
        using var waiting = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => _process.Dispose();

    private void Receive(string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        onLine?.Invoke(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
