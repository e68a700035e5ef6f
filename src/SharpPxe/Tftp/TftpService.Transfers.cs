using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpPxe.Net;
using Microsoft.Extensions.Logging;

namespace SharpPxe.Tftp;

public sealed partial class TftpService
{
    /// <summary>One RRQ from start to end: wait for a slot, resolve, negotiate, transfer, log one line.</summary>
    private async Task ServeAsync(TftpRequest request, IPEndPoint client, IPPacketInformation arrival)
    {
        CancellationToken stopping = _stopping.Token;
        bool queued = _slots.CurrentCount == 0;
        if (queued)
        {
            TftpLog.Queued(_logger, _tftp.MaxTransfers, client, request.FileName);
        }

        try
        {
            await _slots.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _active.TryRemove((client, request.FileName), out _);
            return;
        }

        _counters.AddToGauge(OpenTransfersGauge, 1);
        long started = Stopwatch.GetTimestamp();
        Socket? socket = null;
        ITftpSource? source = null;
        bool completed = false;
        try
        {
            IPAddress local = LocalAddressFor(arrival);
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            if (LinuxSockets.IsSupported)
            {
                // A client that went away (its port answers ICMP unreachable) ends its transfer at once, rather
                // than after every retry.
                LinuxSockets.ReportIcmpErrors(socket);
            }

            BindToInterface(socket);
            socket.Bind(new IPEndPoint(local, 0));

            if (!TryOpen(request, client, socket, out source))
            {
                return;
            }

            int mtu = _interfaces.Find(arrival.Interface)?.Mtu ?? 0;
            // A zero-byte file's "tsize 0" is left out of the OACK: curl takes tsize 0 for an error and aborts.
            long transferSize = source.Length == 0 ? -1 : source.Length;
            var negotiation = TftpNegotiation.Negotiate(request, transferSize, _limits, mtu);
            TftpLog.Started(_logger, client, request.FileName, request.Mode.ToString(), source.Length,
                negotiation.BlockSize, negotiation.WindowSize, negotiation.Timeout.TotalSeconds,
                negotiation.Acknowledged.Count > 0 ? ", with OACK" : string.Empty);
            var transfer = new TftpTransfer(socket, client, source, negotiation, _tftp.Retries, stranger =>
            {
                _counters.CountDrop("UnknownTransferId");
                TftpLog.Stray(_logger, request.FileName, client, stranger);
            }, mayWaitInline: true,
                _logger.IsEnabled(LogLevel.Debug) ? ProgressReporter(client, request.FileName, source.Length) : null);

            TftpTransferOutcome outcome;
            try
            {
                outcome = await transfer.RunAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                outcome = TftpTransferOutcome.Cancelled;
            }

            completed = outcome == TftpTransferOutcome.Completed;
            if (completed)
            {
                _counters.CountReply();
            }
            else
            {
                _counters.CountDrop($"Transfer{outcome}");
            }

            string? known = _machines.FindByAddress(client.Address)?.Mac;
            string mac = known ?? "unknown MAC";
            if (known is not null && outcome == TftpTransferOutcome.Completed)
            {
                if (_timeline is not null && Events.BootTimeline.IsPxelinuxConfig(request.FileName)
                    && ReadConfig(source) is { } config)
                {
                    _timeline.PxelinuxConfigServed(known, config);
                }

                _timeline?.Served(known, "TFTP", request.FileName);
            }

            TftpLog.Done(_logger, client, mac, request.FileName, Describe(outcome), transfer.BytesSent,
                (long)Since(started).TotalMilliseconds, negotiation.BlockSize, negotiation.WindowSize,
                transfer.Retransmissions);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _counters.CountDrop("InternalError");
            TftpLog.Failed(_logger, request.FileName, client, ex);
        }
        finally
        {
            source?.Dispose();
            socket?.Dispose();
            _counters.AddToGauge(OpenTransfersGauge, -1);
            ForgetLater((client, request.FileName), completed);
            _slots.Release();
        }
    }

    /// <summary>The Debug line a transfer reports its progress with (for a progress bar, e.g. sharppxe try).</summary>
    private Action<long> ProgressReporter(IPEndPoint client, string file, long total) =>
        bytes => TftpLog.Progress(_logger, client, file, bytes, total);

    /// <summary>A boot loader's config (text, at most 64 KiB) as it was sent, or null when it is larger.</summary>
    private static string? ReadConfig(ITftpSource source)
    {
        const int Limit = 64 * 1024;
        if (source.Length > Limit)
        {
            return null;
        }

        byte[] bytes = new byte[source.Length];
        int read = source.Read(0, bytes);
        return System.Text.Encoding.UTF8.GetString(bytes, 0, read);
    }

    /// <summary>
    /// Lets a new RRQ from this client port for this file start a transfer again. After a completed transfer
    /// that waits a moment: the same RRQ from the same port right after is the client's retransmission
    /// (RFC 1350 §2), not a new request — a client asking again uses a new port.
    /// </summary>
    private void ForgetLater((IPEndPoint Client, string File) key, bool completed)
    {
        if (!completed)
        {
            _active.TryRemove(key, out _);
            return;
        }

        _ = Task.Delay(s_duplicateWindow, CancellationToken.None)
            .ContinueWith(_ => _active.TryRemove(key, out byte _), TaskScheduler.Default);
    }

    /// <summary>Resolves and opens the file, or answers ERROR 1 or 2 from the transfer's socket.</summary>
    private bool TryOpen(TftpRequest request, IPEndPoint client, Socket socket, out ITftpSource source)
    {
        source = null!;
        NetbootPathResult found = _files!.Resolve(request.FileName, out string path);
        if (found == NetbootPathResult.NotFound && Boot.SystemIpxe.Find(request.FileName) is { } system)
        {
            // The netboot directory has no copy of its own: the system's iPXE package's binary is served.
            found = NetbootPathResult.Found;
            path = system;
        }

        if (found == NetbootPathResult.Found)
        {
            try
            {
                source = _cache!.Open(path, request.Mode);
                return true;
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                found = NetbootPathResult.NotFound;
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                found = NetbootPathResult.AccessViolation;
            }
        }

        // The name the client asked for, never the server's path (dnsmasq leaks it).
        (TftpErrorCode code, string message, string reason) = found == NetbootPathResult.NotFound
            ? (TftpErrorCode.FileNotFound, "file not found", "FileNotFound")
            : (TftpErrorCode.AccessViolation, "access violation", "AccessViolation");
        socket.SendTo(TftpPacket.Error(code, message), client);
        _counters.CountDrop(reason);
        TftpLog.Refused(_logger, client, request.FileName, (int)code, message);
        return false;
    }

    private static string Describe(TftpTransferOutcome outcome) => outcome switch
    {
        TftpTransferOutcome.Completed => "sent",
        TftpTransferOutcome.ClientError => "ended by the client",
        TftpTransferOutcome.TimedOut => "timed out",
        TftpTransferOutcome.ClientGone => "client gone",
        _ => "cancelled",
    };
}
