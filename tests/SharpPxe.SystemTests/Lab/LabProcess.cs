using System.Diagnostics;
using System.Globalization;

namespace SharpPxe.SystemTests.Lab;

/// <summary>Which stream a line of a <see cref="LabProcess"/> came from.</summary>
internal enum LabStream
{
    /// <summary>Standard output.</summary>
    Out,

    /// <summary>Standard error.</summary>
    Error,
}

/// <summary>One line a lab process wrote, with the time since it started.</summary>
internal sealed record LabOutputLine(TimeSpan Time, LabStream Stream, string Text)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{Time.TotalSeconds,7:F3}s {Stream,-5}] {Text}");
}

/// <summary>
/// A program running in a lab namespace through <c>ip netns exec NS program args...</c>. ip execs the
/// program, so <see cref="Pid"/> is the program's own PID; signals go to that PID only. Both output
/// streams are captured line by line with time stamps.
/// </summary>
internal sealed class LabProcess : IDisposable
{
    private static readonly TimeSpan s_defaultGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<LabOutputLine> _lines = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private LabProcess(Process process, string @namespace, string commandLine)
    {
        _process = process;
        Namespace = @namespace;
        CommandLine = commandLine;
        Pid = process.Id;
    }

    /// <summary>The program's PID (the same process that <c>ip netns exec</c> started as).</summary>
    public int Pid { get; }

    /// <summary>The namespace the program runs in.</summary>
    public string Namespace { get; }

    /// <summary>The program and its arguments, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>True once the program has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the program has exited (128 + signal when a signal ended it), else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>A snapshot of every line so far, both streams, in arrival order.</summary>
    public IReadOnlyList<LabOutputLine> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Every line so far as text, with times and streams, for assertion messages.</summary>
    public string OutputText => string.Join('\n', Lines);

    /// <summary>Starts <c>ip netns exec <paramref name="namespace"/> program args...</c>.</summary>
    public static LabProcess Start(
        string @namespace, string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        List<string> argv = [.. args];
        foreach (string arg in (string[])["netns", "exec", @namespace, program, .. argv])
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var lab = new LabProcess(StartOrThrow(process), @namespace, $"{program} {string.Join(' ', argv)}");
        process.OutputDataReceived += (_, e) => lab.OnLine(LabStream.Out, e.Data);
        process.ErrorDataReceived += (_, e) => lab.OnLine(LabStream.Error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return lab;
    }

    /// <summary>
    /// Waits until a line (old or new, either stream) matches. Returns that line. Throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/>, or <see cref="InvalidOperationException"/>
    /// when the program ends without such a line; both messages carry the whole output.
    /// </summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        TimeSpan deadline = _clock.Elapsed + timeout;
        int index = 0;
        while (true)
        {
            Task changed;
            bool closed;
            lock (_lock)
            {
                for (; index < _lines.Count; index++)
                {
                    if (match(_lines[index].Text))
                    {
                        return _lines[index].Text;
                    }
                }

                changed = _changed.Task;
                closed = _openStreams == 0;
            }

            if (closed)
            {
                throw new InvalidOperationException(
                    $"{CommandLine} (pid {Pid}) ended its output without the awaited line:\n{OutputText}");
            }

            TimeSpan left = deadline - _clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"{CommandLine} (pid {Pid}) printed no awaited line within {timeout}:\n{OutputText}");
            }

            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Checked again at the top of the loop, which reports the output.
            }
        }
    }

    /// <summary>Waits for the program to exit and returns its exit code; throws after the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{CommandLine} (pid {Pid}) still runs after {timeout}:\n{OutputText}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (default TERM) to <see cref="Pid"/>, waits up to the grace time
    /// (default 5 s) and then kills it. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(string signal = "TERM", TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            await LabCommand.SignalAsync(Pid, signal);
            try
            {
                return await WaitForExitAsync(grace ?? s_defaultGrace);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        return await WaitForExitAsync(s_defaultGrace);
    }

    /// <summary>SIGKILL to <see cref="Pid"/> only (not to other processes), when it still runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static Process StartOrThrow(Process process)
    {
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException("ip netns exec did not start.");
            }

            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    private void OnLine(LabStream stream, string? text)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (text is null)
            {
                _openStreams--;
            }
            else
            {
                _lines.Add(new LabOutputLine(_clock.Elapsed, stream, text));
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
