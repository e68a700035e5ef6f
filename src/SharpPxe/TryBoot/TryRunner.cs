using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using SharpPxe.Config;

namespace SharpPxe.TryBoot;

/// <summary>
/// Runs one <c>sharppxe try</c>: makes the namespace (<see cref="TryNetwork"/>), starts this sharppxe inside it as
/// the network's DHCP, TFTP and HTTP server with JSON logs, starts QEMU on the namespace's tap, and feeds the
/// server's log and the VM's serial console to a <see cref="TryTimeline"/> until it has a verdict. Whatever
/// happens (a verdict, a failure, Ctrl-C), the VM and the server are ended by PID and the namespace is deleted.
/// </summary>
public static class TryRunner
{
    private const string EnvironmentPrefix = "SHARPPXE_";
    private static readonly TimeSpan s_serverStart = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_serialConnect = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_powerOff = TimeSpan.FromSeconds(5);

    /// <summary>Runs the plan; returns the exit code: 0 booted, 1 not.</summary>
    public static async Task<int> RunAsync(
        TryPlan plan, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        string ip = TryHostFacts.FindOnPath("ip") ?? throw new TryException("ip(8) is missing (package iproute2)");
        string name = TryNetwork.NameForThisProcess;
        WriteHeader(plan, output, name);

        var inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
        var clock = Stopwatch.StartNew();
        TryNetwork? network = null;
        TryChildProcess? server = null;
        TryChildProcess? qemu = null;
        Socket? serial = null;
        Task? reading = null;
        string step = "namespace";
        try
        {
            try
            {
                await TryNetwork.RemoveStaleAsync(ip).ConfigureAwait(false);
                network = await TryNetwork.CreateAsync(ip, name).ConfigureAwait(false);

                step = "server start";
                string configFile = Path.Combine(plan.WorkDirectory, "sharppxe.json");
                await File.WriteAllTextAsync(configFile, plan.ServerConfig.ToJsonString(ConfigJson.Indented),
                    CancellationToken.None).ConfigureAwait(false);
                server = TryChildProcess.Start(ip,
                    ["netns", "exec", name, .. plan.ServerCommand, "serve", "--config", configFile],
                    plan.WorkDirectory, line => inputs.Writer.TryWrite(new Input(false, line, clock.Elapsed)),
                    SharpPxeVariables());
                await WaitForServerAsync(server, inputs.Reader, output, cancellationToken).ConfigureAwait(false);

                step = "VM start";
                string socketPath = Path.Combine(plan.WorkDirectory, "serial.sock");
                string? vars = null;
                if (plan.Firmware == TryFirmware.Uefi)
                {
                    // A fresh variable store per machine: OVMF writes boot entries into it.
                    vars = Path.Combine(plan.WorkDirectory, "OVMF_VARS.fd");
                    File.Copy(TryMachine.OvmfVars, vars, overwrite: true);
                }

                IReadOnlyList<string> qemuArgs =
                    TryMachine.Arguments(plan.Firmware, plan.Mac, TryNetwork.Tap, socketPath, vars);
                qemu = TryChildProcess.Start(ip, ["netns", "exec", name, TryMachine.QemuProgram, .. qemuArgs],
                    plan.WorkDirectory, onLine: null);
                serial = await ConnectSerialAsync(qemu, socketPath, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TryException or IOException or UnauthorizedAccessException
                or SocketException or System.ComponentModel.Win32Exception)
            {
                output.WriteLine($"verdict: FAILED at step {step}: {ex.Message}");
                return 1;
            }

            // The timeline's clock starts when the guest runs: QEMU waits for the serial socket until then.
            clock.Restart();
            var timeline = new TryTimeline(output, interactive, plan.Hints, plan.Timeout);
            timeline.Note(TimeSpan.Zero, "qemu", $"started (pid {qemu.Pid}), the firmware runs");
            reading = ReadSerialAsync(serial, inputs.Writer, clock);
            await FollowAsync(timeline, inputs.Reader, server, qemu, clock, cancellationToken).ConfigureAwait(false);

            if (timeline.Verdict?.Booted == true)
            {
                // The demo's /init powers the machine off at once; let it.
                await WaitQuietlyAsync(qemu, s_powerOff).ConfigureAwait(false);
            }

            return timeline.Finish();
        }
        finally
        {
            if (qemu is not null)
            {
                await qemu.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
                qemu.Dispose();
            }

            serial?.Dispose();
            if (reading is not null)
            {
                await reading.ConfigureAwait(false);
            }

            if (server is not null)
            {
                await server.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                server.Dispose();
            }

            if (network is not null)
            {
                await network.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void WriteHeader(TryPlan plan, TextWriter output, string name)
    {
        string firmware = plan.Firmware == TryFirmware.Uefi
            ? "OVMF (UEFI x64) with its own PXE client, virtio-net"
            : "SeaBIOS with QEMU's iPXE ROM, e1000";
        output.WriteLine($"sharppxe try {TryPrerequisites.Name(plan.Firmware)}: a throwaway VM in network namespace "
            + $"{name} (198.18.0.0/24); nothing touches this host's interfaces");
        output.WriteLine($"  server: this sharppxe as the full DHCP server ({TryConfiguration.PoolBegin}-"
            + $"{TryConfiguration.PoolEnd}), TFTP and HTTP at {TryConfiguration.ServerAddress} on "
            + $"{TryConfiguration.BridgeName}");
        output.WriteLine($"  boot:   {plan.Source}");
        output.WriteLine($"  VM:     {firmware}, MAC {plan.Mac}, QEMU TCG; the boot may take up to "
            + $"{plan.Timeout.TotalSeconds:F0} s");
    }

    /// <summary>Waits for the server's start line; what it logs before that (warnings) is shown.</summary>
    private static async Task WaitForServerAsync(
        TryChildProcess server, ChannelReader<Input> inputs, TextWriter output, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_serverStart);
        while (true)
        {
            Input input;
            try
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
                poll.CancelAfter(s_poll);
                input = await inputs.ReadAsync(poll.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!limit.IsCancellationRequested)
            {
                if (server.HasExited)
                {
                    throw new TryException($"sharppxe serve exited with code {server.ExitCode}: "
                        + string.Join(" | ", server.Tail.Select(Readable)));
                }

                continue;
            }
            catch (OperationCanceledException)
            {
                throw new TryException(cancellationToken.IsCancellationRequested
                    ? "interrupted"
                    : $"sharppxe serve did not start within {s_serverStart.TotalSeconds:F0} s");
            }

            if (TryEvent.TryParse(input.Text, out TryEvent? e))
            {
                if (e!.Kind == TryEventKind.ServerReady)
                {
                    return;
                }

                if (e.Kind == TryEventKind.ServerProblem)
                {
                    output.WriteLine($"  server: {e.Message}");
                }
            }
        }
    }

    /// <summary>Feeds the timeline until it has a verdict, QEMU or the server ends, or the user interrupts.</summary>
    private static async Task FollowAsync(
        TryTimeline timeline, ChannelReader<Input> inputs, TryChildProcess server, TryChildProcess qemu,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        TimeSpan? qemuGone = null;
        while (timeline.Verdict is null)
        {
            while (inputs.TryRead(out Input input))
            {
                Dispatch(timeline, input);
                if (timeline.Verdict is not null)
                {
                    return;
                }
            }

            TimeSpan now = clock.Elapsed;
            if (cancellationToken.IsCancellationRequested)
            {
                timeline.Ended(now, "interrupted (SIGINT or SIGTERM)", "the VM, the server and the namespace "
                    + "were removed");
                return;
            }

            if (qemu.HasExited)
            {
                // Its last serial lines may still be on their way: one more round first.
                qemuGone ??= now;
                if (now - qemuGone.Value > s_poll * 2)
                {
                    // QEMU's note that it waits for the serial socket is not news.
                    string[] said = [.. qemu.Tail.Where(l => !l.Contains("waiting for connection",
                        StringComparison.Ordinal))];
                    timeline.Ended(now, $"QEMU ended (exit code {qemu.ExitCode}) before the boot finished",
                        said.Length > 0 ? "QEMU said: " + string.Join(" | ", said) : null);
                    return;
                }
            }
            else if (server.HasExited)
            {
                timeline.Ended(now, $"the server stopped (exit code {server.ExitCode})",
                    string.Join(" | ", server.Tail.TakeLast(3).Select(Readable)));
                return;
            }

            timeline.Tick(now);
            try
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                poll.CancelAfter(s_poll);
                await inputs.WaitToReadAsync(poll.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Time to look at the clock and the processes again.
            }
        }
    }

    private static void Dispatch(TryTimeline timeline, Input input)
    {
        if (input.FromSerial)
        {
            timeline.OnSerial(input.At, input.Text);
        }
        else if (TryEvent.TryParse(input.Text, out TryEvent? e))
        {
            timeline.OnServer(input.At, e!);
        }
    }

    /// <summary>Connects to QEMU's serial socket; QEMU runs the guest only once this is connected.</summary>
    private static async Task<Socket> ConnectSerialAsync(
        TryChildProcess qemu, string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken)
                    .ConfigureAwait(false);
                return socket;
            }
            catch (SocketException) when (!qemu.HasExited && clock.Elapsed < s_serialConnect)
            {
                socket.Dispose();
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                await Task.Delay(s_poll, CancellationToken.None).ConfigureAwait(false);
                throw new TryException($"QEMU (pid {qemu.Pid}) did not open its serial console"
                    + (qemu.HasExited ? $" and ended with code {qemu.ExitCode}" : string.Empty) + ": "
                    + string.Join(" | ", qemu.Tail));
            }

            await Task.Delay(s_poll / 5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the serial console line by line (a carriage return also ends a line) until it closes.</summary>
    private static async Task ReadSerialAsync(Socket serial, ChannelWriter<Input> inputs, Stopwatch clock)
    {
        byte[] buffer = new byte[4096];
        var line = new StringBuilder();
        try
        {
            int read;
            while ((read = await serial.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                foreach (char c in Encoding.Latin1.GetString(buffer, 0, read))
                {
                    if (c is '\n' or '\r')
                    {
                        if (line.Length > 0)
                        {
                            inputs.TryWrite(new Input(true, line.ToString(), clock.Elapsed));
                            line.Clear();
                        }
                    }
                    else
                    {
                        line.Append(c);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // QEMU ended, or the socket was closed at the end of the run.
        }

        if (line.Length > 0)
        {
            inputs.TryWrite(new Input(true, line.ToString(), clock.Elapsed));
        }
    }

    private static async Task WaitQuietlyAsync(TryChildProcess process, TimeSpan limit)
    {
        using var waiting = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ended by PID below.
        }
    }

    /// <summary>The SHARPPXE_ variables of this process: the server reads only its config file.</summary>
    private static List<string> SharpPxeVariables() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>A log line for a message: a JSON line's message, other lines as they are.</summary>
    private static string Readable(string line)
    {
        if (line.StartsWith('{'))
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("Message", out System.Text.Json.JsonElement message))
                {
                    return message.GetString() ?? line;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Shown as it is.
            }
        }

        return line;
    }

    /// <summary>One line from the server's log or the serial console, with its time since the guest started.</summary>
    private readonly record struct Input(bool FromSerial, string Text, TimeSpan At);
}
