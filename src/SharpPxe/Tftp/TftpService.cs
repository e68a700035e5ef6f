using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpPxe.Config;
using SharpPxe.Diagnostics;
using SharpPxe.Net;

namespace SharpPxe.Tftp;

/// <summary>
/// The read-only TFTP server: RRQs on port 69, each transfer on its own socket (its own transfer identifier)
/// bound to the address the RRQ was sent to, so every packet of it leaves from that address; RRQs that reach
/// the server as a broadcast are answered from the arrival interface's address.
/// </summary>
/// <remarks>
/// RFC 1350 (TFTP), RFC 2347 (options), RFC 2348 (blksize), RFC 2349 (timeout, tsize), RFC 7440 (windowsize).
/// </remarks>
public sealed partial class TftpService : IHostedService, IAsyncDisposable
{
    /// <summary>The gauge of transfers running now, in the service's counters.</summary>
    public const string OpenTransfersGauge = "openTransfers";

    private const int ReceiveBufferSize = 65536;
    private const long Megabyte = 1 << 20;
    private const long LargestCachedFile = 32 * Megabyte;

    private static readonly IPEndPoint s_anyEndPoint = new(IPAddress.Any, 0);

    /// <summary>How long a repeated RRQ from the same port still counts as a duplicate after its transfer.</summary>
    private static readonly TimeSpan s_duplicateWindow = TimeSpan.FromSeconds(2);

    private readonly SharpPxeOptions _options;
    private readonly TftpOptions _tftp;
    private readonly ServiceCounters _counters;
    private readonly ILogger<TftpService> _logger;
    private readonly LocalInterfaces _interfaces = new();
    private readonly ConcurrentDictionary<(IPEndPoint Client, string File), byte> _active = new();
    private readonly ConcurrentDictionary<Task, byte> _transfers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _slots;
    private readonly TftpLimits _limits;
    private readonly Boot.MachineDirectory _machines;
    private readonly Events.BootTimeline? _timeline;
    private NetbootFiles? _files;
    private FileCache? _cache;
    private Socket? _socket;
    private Task? _receiveLoop;

    public TftpService(
        SharpPxeOptions options, CounterRegistry counters, ILogger<TftpService> logger,
        Boot.MachineDirectory? machines = null,
        Events.BootTimeline? timeline = null)
    {
        _machines = machines ?? new Boot.MachineDirectory();
        _timeline = timeline;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        _options = options;
        _tftp = options.Tftp;
        _counters = counters.For("tftp");
        _logger = logger;
        _slots = new SemaphoreSlim(_tftp.MaxTransfers);
        _limits = new TftpLimits(_tftp.MaxBlockSize, _tftp.MaxWindowSize, _tftp.MaxInFlight, _tftp.Timeout);
    }

    /// <summary>The address and port the server listens on, once started.</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _files = new NetbootFiles(_options.NetbootDir, _tftp.CaseInsensitive);
        long cacheBytes = _tftp.CacheMegabytes * Megabyte;
        _cache = new FileCache(cacheBytes, Math.Min(cacheBytes, LargestCachedFile));
        _socket = UdpSockets.Bind("TFTP", new IPEndPoint(_tftp.ServerIp, _tftp.Port), "--tftp-port", s =>
        {
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            BindToInterface(s);
        });
        _counters.AddToGauge(OpenTransfersGauge, 0);
        _receiveLoop = ReceiveLoopAsync(_socket);
        TftpLog.Listening(_logger, (IPEndPoint)_socket.LocalEndPoint!, Path.GetFullPath(_options.NetbootDir));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        var pending = new List<Task>(_transfers.Keys);
        if (_receiveLoop is not null)
        {
            pending.Add(_receiveLoop);
        }

        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _stopping.Dispose();
        _slots.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        CancellationToken stopping = _stopping.Token;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                SocketReceiveMessageFromResult result;
                try
                {
                    result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, s_anyEndPoint, stopping)
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                var remote = (IPEndPoint)result.RemoteEndPoint;
                Handle(buffer.AsSpan(0, result.ReceivedBytes), remote, result.PacketInformation);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram, IPEndPoint remote, IPPacketInformation arrival)
    {
        _counters.CountRequest();
        TftpOpcode? opcode = TftpPacket.PeekOpcode(datagram);
        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            // RFC 1350 §4: only requests come to port 69; anything else is dropped and counted.
            Drop(datagram.Length, remote, opcode is null ? "UnknownOpcode" : $"Unexpected{opcode}");
            return;
        }

        if (!TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out TftpParseError error))
        {
            // Counted and dropped; a request that is whole but unusable also gets the ERROR it deserves.
            Drop(datagram.Length, remote, error.ToString());
            if (TftpPacket.ReplyFor(error) is { } code)
            {
                SendFromListener(TftpPacket.Error(code, error.ToString()), remote);
            }

            return;
        }

        if (request.Mode == TftpMode.Mail)
        {
            // RFC 1350 §1: mail mode is obsolete; a read-only server has no use for it.
            SendFromListener(TftpPacket.Error(TftpErrorCode.IllegalOperation, "mail mode is not supported"), remote);
            Drop(datagram.Length, remote, "MailMode");
            return;
        }

        if (request.Opcode == TftpOpcode.WriteRequest)
        {
            // The server is read-only: a WRQ gets ERROR 2, access violation.
            SendFromListener(TftpPacket.Error(TftpErrorCode.AccessViolation, "this server is read-only"), remote);
            _counters.CountDrop("WriteRequest");
            TftpLog.Refused(_logger, remote, request.FileName, (int)TftpErrorCode.AccessViolation, "WRQ");
            return;
        }

        if (!_active.TryAdd((remote, request.FileName), 0))
        {
            // A repeated RRQ while its transfer runs: the transfer answers it; no second transfer.
            Drop(datagram.Length, remote, "DuplicateRequest");
            return;
        }

        // On the thread pool, never inline: a transfer may wait for ACKs on its own thread, and the listening
        // loop must go on reading requests (a repeated RRQ among them) meanwhile.
        Task transfer = Task.Run(() => ServeAsync(request, remote, arrival));
        _transfers.TryAdd(transfer, 0);
        _ = transfer.ContinueWith(t => _transfers.TryRemove(t, out _), TaskScheduler.Default);
    }

    private void Drop(int length, IPEndPoint remote, string reason)
    {
        _counters.CountDrop(reason);
        TftpLog.Dropped(_logger, length, remote, reason);
    }

    private void SendFromListener(byte[] datagram, IPEndPoint remote)
    {
        try
        {
            _socket?.SendTo(datagram, remote);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _counters.CountDrop("SendFailed");
        }
    }

    private void BindToInterface(Socket socket) => UdpSockets.BindToDevice(socket, _options.Interface);

    /// <summary>The address a transfer answers from: the RRQ's destination, or the arrival interface's.</summary>
    private IPAddress LocalAddressFor(IPPacketInformation arrival)
    {
        IPAddress to = arrival.Address;
        bool broadcast = to.Equals(IPAddress.Broadcast) || to.Equals(IPAddress.Any)
            || _interfaces.FindByAddress(to) is null;
        if (!broadcast)
        {
            return to;
        }

        return _interfaces.Find(arrival.Interface)?.Address ?? _tftp.ServerIp;
    }

    private static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
}
