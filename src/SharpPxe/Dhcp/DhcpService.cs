using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpPxe.Boot;
using SharpPxe.Config;
using SharpPxe.Diagnostics;
using SharpPxe.Leases;
using SharpPxe.Net;

namespace SharpPxe.Dhcp;

/// <summary>
/// The DHCP service: a full server (--dhcp) or ProxyDHCP with its PXE boot server on UDP 4011 (--dhcp-proxy).
/// One receive loop per socket hands datagrams to a bounded queue that a fixed number of workers drain, so a
/// REQUEST waiting for its lease to be written never holds up the next DISCOVER.
/// </summary>
/// <remarks>
/// RFC 2131 (DHCP), RFC 2132 (options), RFC 3046 (relay agent information), RFC 4578 (PXE options),
/// PXE specification 2.1 (ProxyDHCP and the boot server on port 4011).
/// </remarks>
public sealed partial class DhcpService : IHostedService, IAsyncDisposable
{
    /// <summary>The port clients listen on (RFC 2131 §4.1).</summary>
    public const int ClientPort = 68;

    private const int ReceiveBufferSize = 4096;
    private const int WorkerCount = 32;
    private const int QueueCapacity = 8192;

    private static readonly IPEndPoint s_anyEndPoint = new(IPAddress.Any, 0);

    private readonly SharpPxeOptions _options;
    private readonly DhcpOptions _dhcp;
    private readonly ServiceCounters _counters;
    private readonly ILogger<DhcpService> _logger;
    private readonly TimeProvider _time;
    private readonly Func<SharpPxeOptions, ILeaseStore> _storeFactory;
    private readonly MachineDirectory? _machines;
    private readonly Events.BootTimeline? _timeline;
    private readonly LocalInterfaces _interfaces = new();
    private readonly ConcurrentDictionary<IPAddress, BootPolicy> _policies = new();
    private readonly Channel<Received> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private IReadOnlyDictionary<string, StaticBinding> _bindings = new Dictionary<string, StaticBinding>();
    private ILeaseStore? _store;
    private LeaseManager? _leases;
    private Socket? _socket;
    private Socket? _bootServerSocket;
    private int _exhaustionLogged;

    public DhcpService(
        SharpPxeOptions options,
        CounterRegistry counters,
        ILogger<DhcpService> logger,
        TimeProvider time,
        Func<SharpPxeOptions, ILeaseStore> storeFactory,
        MachineDirectory? machines = null,
        Events.BootTimeline? timeline = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        _options = options;
        _dhcp = options.Dhcp;
        _counters = counters.For("dhcp");
        _logger = logger;
        _time = time;
        _storeFactory = storeFactory;
        _machines = machines;
        _timeline = timeline;
        _queue = Channel.CreateBounded<Received>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
    }

    private bool IsProxy => _dhcp.Mode == DhcpMode.Proxy;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_dhcp.StaticConfig.Length > 0)
        {
            var errors = new List<ConfigError>();
            _bindings = StaticBindingFile.Load(_dhcp.StaticConfig, errors);
        }

        if (!IsProxy)
        {
            await StartLeasesAsync(cancellationToken).ConfigureAwait(false);
        }

        _socket = Open(_dhcp.ServerPort, "--dhcp-server-port");
        _tasks.Add(ReceiveLoopAsync(_socket, bootServer: false));
        string where = _options.Interface is { } name ? $" on {name}" : string.Empty;
        DhcpLog.Listening(_logger, IsProxy ? "ProxyDHCP" : "DHCP", (IPEndPoint)_socket.LocalEndPoint!, where);
        if (IsProxy)
        {
            _bootServerSocket = Open(_dhcp.ProxyPort, "--dhcp-proxy-port");
            _tasks.Add(ReceiveLoopAsync(_bootServerSocket, bootServer: true));
            DhcpLog.Listening(_logger, "PXE boot server", (IPEndPoint)_bootServerSocket.LocalEndPoint!, where);
        }

        for (int i = 0; i < WorkerCount; i++)
        {
            _tasks.Add(WorkerAsync());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        _bootServerSocket?.Dispose();
        _queue.Writer.TryComplete();
        await Task.WhenAll(_tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_leases is not null && _dhcp.LeasesFile.Length > 0)
        {
            PyPxeLeaseFile.Save(_dhcp.LeasesFile, _leases.Snapshot());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        _socket?.Dispose();
        _bootServerSocket?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartLeasesAsync(CancellationToken cancellationToken)
    {
        _store = _storeFactory(_options);
        var excluded = new List<IPAddress> { _dhcp.Router };
        if (_options.IsExplicit("dhcp.serverIp"))
        {
            excluded.Add(_dhcp.ServerIp);
        }

        excluded.AddRange(_interfaces.All.Select(i => i.Address));
        excluded.AddRange(_bindings.Values.Select(b => b.Address).OfType<IPAddress>());
        _leases = new LeaseManager(_dhcp.Begin, _dhcp.End, excluded, _store, _time,
            TimeSpan.FromSeconds(_dhcp.LeaseTime), TimeSpan.FromSeconds(_dhcp.OfferHold),
            TimeSpan.FromSeconds(_dhcp.DeclineTime), _logger);
        await _leases.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (_dhcp.LeasesFile.Length > 0 && File.Exists(_dhcp.LeasesFile))
        {
            // PyPXE's --save-leases file: its unexpired leases join ours unless the client has one already.
            DateTimeOffset now = _time.GetUtcNow();
            foreach (Lease lease in PyPxeLeaseFile.Load(_dhcp.LeasesFile, []))
            {
                if (lease.Expires > now && _leases.FindByClient(lease.ClientKey) is null
                    && _leases.IsInPool(lease.Address))
                {
                    await _leases.CommitAsync(lease.ClientKey, lease.Mac, lease.Address, lease.HostName,
                        cancellationToken).ConfigureAwait(false);
                }
            }
        }

        DhcpLog.LeasesLoaded(_logger, _leases.Snapshot().Count, _store.ToString() ?? "store");
        if (!_interfaces.All.Any(i => i.Contains(_dhcp.Begin)))
        {
            DhcpLog.PoolOffLink(_logger, _dhcp.Begin, _dhcp.End);
        }
    }

    private Socket Open(int port, string portFlag)
    {
        var endpoint = new IPEndPoint(IPAddress.Any, port);
        Socket socket = UdpSockets.Bind("DHCP", endpoint, portFlag, s =>
        {
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            UdpSockets.BindToDevice(s, _options.Interface);
        });
        return socket;
    }

    private async Task ReceiveLoopAsync(Socket socket, bool bootServer)
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            SocketReceiveMessageFromResult result;
            try
            {
                result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, s_anyEndPoint, stopping)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier send, or an interface going away: not fatal.
                ArrayPool<byte>.Shared.Return(buffer);
                continue;
            }

            var received = new Received(buffer, result.ReceivedBytes, (IPEndPoint)result.RemoteEndPoint,
                result.PacketInformation.Address, result.PacketInformation.Interface, socket, bootServer,
                (result.SocketFlags & SocketFlags.Truncated) != 0);
            try
            {
                await _queue.Writer.WriteAsync(received, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
        }
    }

    private async Task WorkerAsync()
    {
        await Task.Yield();
        CancellationToken stopping = _stopping.Token;
        try
        {
            await foreach (Received received in _queue.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await HandleAsync(received, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _counters.CountDrop("InternalError");
                    DhcpLog.HandlerFailed(_logger, received.Remote, ex);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(received.Buffer);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task HandleAsync(Received received, CancellationToken cancellationToken)
    {
        _counters.CountRequest();
        if (received.Truncated)
        {
            Drop(received, "Oversized");
            return;
        }

        ReadOnlySpan<byte> datagram = received.Buffer.AsSpan(0, received.Length);
        if (!DhcpMessage.TryParse(datagram, out DhcpMessage? request, out DhcpParseError error))
        {
            Drop(received, error.ToString());
            return;
        }

        if (request.Operation != BootpOp.BootRequest)
        {
            // RFC 2131 §4.1: a server only answers BOOTREQUESTs.
            Drop(received, "NotBootRequest");
            return;
        }

        if (request.ClientMacAddress is null)
        {
            Drop(received, "NotEthernet");
            return;
        }

        if (!IsUsableRelay(request.RelayAgentIpAddress))
        {
            // A relay address that is broadcast, loopback, multicast or our own would send replies astray.
            Drop(received, "BadRelayAddress");
            return;
        }

        if (request.MessageType == DhcpMessageType.None)
        {
            // A plain BOOTP request: SharpPXE is a DHCP server (RFC 2131 §4.3 needs option 53).
            Drop(received, "NoMessageType");
            return;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            IReadOnlyList<string> userClasses = request.GetUserClasses();
            DhcpLog.Received(_logger, request.MessageType.ToString().ToUpperInvariant(), request.ClientMacAddress,
                Arch(request), request.VendorClassIdentifier ?? "-",
                userClasses.Count == 0 ? "-" : string.Join(',', userClasses));
        }

        if (received.BootServer)
        {
            await HandleBootServerAsync(received, request).ConfigureAwait(false);
        }
        else if (IsProxy)
        {
            await HandleProxyAsync(received, request).ConfigureAwait(false);
        }
        else
        {
            await HandleFullAsync(received, request, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsUsableRelay(IPAddress relay)
    {
        if (relay.Equals(IPAddress.Any))
        {
            return true;
        }

        byte first = relay.GetAddressBytes()[0];
        return !relay.Equals(IPAddress.Broadcast) && !IPAddress.IsLoopback(relay) && first is not (>= 224 and <= 239)
            && _interfaces.FindByAddress(relay) is null;
    }

    private void Drop(Received received, string reason)
    {
        _counters.CountDrop(reason);
        DhcpLog.Dropped(_logger, received.Length, received.Remote, reason);
    }

    private void Ignore(DhcpMessage request, string counterReason, string why)
    {
        _counters.CountDrop(counterReason);
        DhcpLog.Ignored(_logger, request.MessageType, request.ClientMacAddress!, why);
    }

    /// <summary>One datagram as it arrived: its bytes (a rented buffer), sender, and where it came in.</summary>
    private readonly record struct Received(
        byte[] Buffer, int Length, IPEndPoint Remote, IPAddress LocalAddress, int InterfaceIndex, Socket Socket,
        bool BootServer, bool Truncated);
}
