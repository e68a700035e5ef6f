using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpPxe.Net;

namespace SharpPxe.Tftp;

/// <summary>
/// One read transfer: an OACK when options were accepted, then DATA blocks in windows of
/// <see cref="TftpNegotiation.WindowSize"/> (1 = RFC 1350 lock-step), each window sent again only when its
/// timer runs out — never on a duplicate ACK (RFC 1123 §4.2.3.1). Runs as one async loop on its own socket
/// (its own transfer identifier), so hundreds of transfers need no thread each.
/// </summary>
/// <remarks>
/// Blocks are counted with a 64-bit index; the 16-bit number on the wire wraps to 0 after 65535 (or to 1 with
/// "rollover 1"), so files past 65,535 blocks arrive intact. Index 0 stands for the OACK, which ACK 0 answers.
/// </remarks>
internal sealed class TftpTransfer
{
    /// <summary>How long a transfer waits for an ACK on its own thread before it waits asynchronously.</summary>
    private const int InlineWaitMicroseconds = 2000;

    /// <summary>The most segments one send may carry (the kernel's UDP_MAX_SEGMENTS is 64 or more).</summary>
    private const int MaxSegmentsPerSend = 64;

    /// <summary>The largest UDP payload over IPv4.</summary>
    private const int MaxUdpPayload = 65507;

    /// <summary>How many progress reports a transfer makes at most (one per tenth of the file).</summary>
    private const int ProgressReports = 10;

    /// <summary>Spins in a row that found no ACK before a transfer stops spinning.</summary>
    private const int SpinMissesAllowed = 8;

    /// <summary>The receive result that stands for "the client is gone".</summary>
    private const int ClientGoneLength = -2;

    /// <summary>How long a transfer checks for an ACK before it sleeps, when it may spin (see SpinForAck).</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 10_000;

    /// <summary>Retransmission timeouts double up to this.</summary>
    private static readonly TimeSpan s_timeoutCap = TimeSpan.FromSeconds(16);

    /// <summary>Transfers running in this process, whichever service started them.</summary>
    private static long s_running;

    /// <summary>Set once the thread pool has been given headroom for inline waits.</summary>
    private static int s_poolReserved;

    private readonly Socket _socket;
    private readonly SocketAddress _client;
    private readonly IPEndPoint _clientEndPoint;
    private readonly LinuxSockets.Ipv4Destination _destination;
    private bool _gather;
    private readonly ITftpSource _source;
    private readonly TftpNegotiation _negotiation;
    private readonly byte[]? _optionAck;
    private readonly int _retries;
    private readonly Action<IPEndPoint> _onStranger;
    private readonly bool _mayWaitInline;
    private bool _spin;
    private int _spinMisses;
    private readonly byte[] _packet;
    private readonly byte[] _batch;
    private int _blocksPerSend;
    private readonly byte[] _receive = new byte[2048];
    private readonly long _lastBlock;
    private readonly Action<long>? _progress;
    private readonly long _progressStep;
    private long _nextProgress;
    private long _acked;
    private long _sentUpTo;

    /// <summary>
    /// True while the socket is still in blocking mode, so that an inline wait is one receive call with a kernel
    /// timeout rather than a poll and then a receive.
    /// </summary>
    private bool _kernelWaits;

    public TftpTransfer(
        Socket socket, IPEndPoint client, ITftpSource source, TftpNegotiation negotiation, int retries,
        Action<IPEndPoint> onStranger, bool mayWaitInline = false, Action<long>? progress = null)
    {
        _mayWaitInline = mayWaitInline;
        if (mayWaitInline)
        {
            ReservePoolThreads();
        }

        _spin = Environment.ProcessorCount > 1;
        _socket = socket;
        _client = client.Serialize();
        _clientEndPoint = client;
        _gather = LinuxSockets.IsSupported && client.AddressFamily == AddressFamily.InterNetwork;
        _destination = _gather ? new LinuxSockets.Ipv4Destination(client) : default;
        _source = source;
        _negotiation = negotiation;
        _optionAck = negotiation.Acknowledged.Count > 0 ? TftpPacket.OptionAck(negotiation.Acknowledged) : null;
        _retries = retries;
        _onStranger = onStranger;
        _packet = new byte[4 + negotiation.BlockSize];
        _blocksPerSend = BlocksPerSend(negotiation);
        _batch = _blocksPerSend > 1 ? new byte[_blocksPerSend * (4 + negotiation.BlockSize)] : [];

        // RFC 1350 §6: the last block is short, possibly empty; a zero-byte file is one empty DATA.
        _lastBlock = (source.Length / negotiation.BlockSize) + 1;
        // While the socket is blocking (until its first asynchronous receive), inline waits are one recvfrom(2)
        // that the kernel ends after the inline wait (Linux, IPv4); elsewhere poll(2) and then a receive.
        _kernelWaits = _gather;
        if (_kernelWaits)
        {
            LinuxSockets.SetReceiveTimeout(socket, TimeSpan.FromMicroseconds(InlineWaitMicroseconds));
        }

        // Progress costs one comparison per ACK; the report itself comes at most ProgressReports times.
        _progress = progress;
        _progressStep = Math.Max(1, (_lastBlock + ProgressReports - 1) / ProgressReports);
        _nextProgress = _progressStep;
    }

    /// <summary>Bytes of file data sent, retransmissions included.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Blocks (and OACKs) sent again after a timeout.</summary>
    public int Retransmissions { get; private set; }

    public async Task<TftpTransferOutcome> RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_running);
        try
        {
            return await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref s_running);
        }
    }

    /// <summary>
    /// An inline wait holds a pool thread for as long as its client keeps pace, and at most one transfer per CPU
    /// waits inline in the process. The pool adds threads past its minimum only slowly (about two a second), so
    /// without headroom two fast transfers on a two-CPU machine would leave the port-69 listener, DHCP and HTTP
    /// waiting for a thread for half a second at a time. The minimum is raised once, by one thread per CPU.
    /// </summary>
    private static void ReservePoolThreads()
    {
        if (Interlocked.Exchange(ref s_poolReserved, 1) == 1)
        {
            return;
        }

        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(workers + Environment.ProcessorCount, completionPorts);
    }

    /// <summary>Whether this transfer may wait for its ACK on its own thread now: few transfers run.</summary>
    private bool MayWaitInlineNow() => _mayWaitInline && Volatile.Read(ref s_running) <= Environment.ProcessorCount;

    private async Task<TftpTransferOutcome> RunCoreAsync(CancellationToken cancellationToken)
    {
        _acked = _optionAck is null ? 0 : -1;
        _sentUpTo = _acked;
        int attempts = 0;
        TimeSpan timeout = _negotiation.Timeout;
        var from = new SocketAddress(AddressFamily.InterNetwork);

        // The timer is armed once per timeout period, not once per block: when it fires before the deadline
        // (progress moved the deadline on), it is armed again for the rest. A cancelled receive loses nothing:
        // the datagram waits in the socket for the next one.
        CancellationTokenSource waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool armed = false;
        SendWindow();
        long deadline = Stopwatch.GetTimestamp() + Ticks(timeout);
        try
        {
            while (true)
            {
                int length;
                long now = Stopwatch.GetTimestamp();
                if (now >= deadline)
                {
                    length = -1;
                }
                else
                {
                    if (TryReceiveInline(from, out length))
                    {
                        // The ACK came within the short inline wait: no async round trip for this block.
                    }
                    else
                    {
                        if (!armed)
                        {
                            waiting.CancelAfter(Stopwatch.GetElapsedTime(now, deadline));
                            armed = true;
                        }

                        // The first asynchronous receive makes the socket non-blocking for good (the runtime's
                        // event loop owns it from then on): inline waits poll first from here on.
                        _kernelWaits = false;
                        try
                        {
                            length = await _socket.ReceiveFromAsync(_receive, SocketFlags.None, from, waiting.Token)
                                .ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            waiting.Dispose();
                            waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                            armed = false;
                            continue;
                        }
                        catch (SocketException ex) when (IsClientGone(ex))
                        {
                            return TftpTransferOutcome.ClientGone;
                        }
                    }

                    if (length == ClientGoneLength)
                    {
                        return TftpTransferOutcome.ClientGone;
                    }
                }

                if (length < 0)
                {
                    if (++attempts > _retries)
                    {
                        SendToClient(TftpPacket.Error(TftpErrorCode.NotDefined, "timed out waiting for an ACK"));
                        return TftpTransferOutcome.TimedOut;
                    }

                    Retransmissions += (int)Math.Max(1, _sentUpTo - _acked);
                    timeout = timeout * 2 < s_timeoutCap ? timeout * 2 : s_timeoutCap;
                    _sentUpTo = _acked;
                    SendWindow();
                    deadline = Stopwatch.GetTimestamp() + Ticks(timeout);
                    continue;
                }

                if (!from.Equals(_client))
                {
                    // RFC 1350 §4: a packet from another port gets ERROR 5; the transfer goes on undisturbed.
                    _socket.SendTo(TftpPacket.Error(TftpErrorCode.UnknownTransferId, "unknown transfer ID"),
                        SocketFlags.None, from);
                    _onStranger((IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from));
                    continue;
                }

                ReadOnlySpan<byte> datagram = _receive.AsSpan(0, length);
                if (TftpPacket.TryParseAck(datagram, out ushort block))
                {
                    long index = IndexOf(block);
                    if (index < 0)
                    {
                        // A duplicate or stale ACK: ignored, never answered (RFC 1123 §4.2.3.1).
                        continue;
                    }

                    _acked = index;
                    if (_acked == _lastBlock)
                    {
                        return TftpTransferOutcome.Completed;
                    }

                    if (_progress is not null && _acked >= _nextProgress)
                    {
                        _nextProgress = _acked + _progressStep;
                        _progress(Math.Min(_acked * _negotiation.BlockSize, _source.Length));
                    }

                    // RFC 7440 §4: an ACK inside the window resumes from the block after it.
                    attempts = 0;
                    timeout = _negotiation.Timeout;
                    _sentUpTo = _acked;
                    SendWindow();
                    deadline = Stopwatch.GetTimestamp() + Ticks(timeout);
                }
                else if (TftpPacket.PeekOpcode(datagram) == TftpOpcode.Error)
                {
                    // The client gave up (ERROR 8 after a tsize probe, say): end at once, quietly.
                    return TftpTransferOutcome.ClientError;
                }
            }
        }
        catch (SocketException ex) when (IsClientGone(ex))
        {
            // A send, or the runtime's receive, reported the client's ICMP error (IP_RECVERR).
            return TftpTransferOutcome.ClientGone;
        }
        finally
        {
            waiting.Dispose();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>ICMP port unreachable and the like: the client is gone.</summary>
    private static bool IsClientGone(SocketException ex) => ex.SocketErrorCode is SocketError.ConnectionReset
        or SocketError.ConnectionRefused or SocketError.HostUnreachable;

    /// <summary>
    /// While few transfers run, waits briefly for the ACK in the kernel (poll) and reads it on this thread: a
    /// fast client's ACK then costs one wake-up, as in a classic one-process-per-transfer server, instead of an
    /// async completion handed between threads. Under load it returns false at once and the transfer waits
    /// asynchronously, so hundreds of transfers still need no thread each.
    /// </summary>
    private bool TryReceiveInline(SocketAddress from, out int length)
    {
        length = 0;
        if (!MayWaitInlineNow())
        {
            return false;
        }

        try
        {
            if (_spin && SpinForAck())
            {
                length = _socket.ReceiveFrom(_receive, SocketFlags.None, from);
                return true;
            }

            if (_kernelWaits)
            {
                // The socket is still blocking: one recvfrom(2), and the kernel waits (SO_RCVTIMEO).
                length = LinuxSockets.ReceiveFrom(_socket, _receive, _destination, out IPEndPoint? stranger);
                if (length < 0)
                {
                    length = 0;
                    return false;
                }

                // The loop tells the client from strangers by the address it finds in "from".
                SocketAddress sender = stranger is null ? _client : stranger.Serialize();
                sender.Buffer.CopyTo(from.Buffer);
                from.Size = sender.Size;
                return true;
            }

            if (!_socket.Poll(InlineWaitMicroseconds, SelectMode.SelectRead))
            {
                return false;
            }

            length = _socket.ReceiveFrom(_receive, SocketFlags.None, from);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }
        catch (SocketException ex) when (IsClientGone(ex))
        {
            length = ClientGoneLength;
            return true;
        }
    }

    /// <summary>
    /// With a CPU to spare (one transfer, more than one CPU), checks for the ACK for a short while before the
    /// transfer sleeps: a client on another CPU answers within microseconds, and waking a sleeping thread across
    /// CPUs costs more than that. A client that keeps missing the window (a real machine over a real network)
    /// turns the spinning off for the rest of its transfer.
    /// </summary>
    private bool SpinForAck()
    {
        // Only its caller's inline wait got here; spinning also needs a CPU left over for the client.
        if (Volatile.Read(ref s_running) >= Environment.ProcessorCount)
        {
            return false;
        }

        long until = Stopwatch.GetTimestamp() + s_spinTicks;
        do
        {
            if (_socket.Available > 0)
            {
                _spinMisses = 0;
                return true;
            }

            Thread.SpinWait(8);
        }
        while (Stopwatch.GetTimestamp() < until);

        if (++_spinMisses >= SpinMissesAllowed)
        {
            _spin = false;
        }

        return false;
    }

    /// <summary>Sends from the block after the last ACK up to a full window.</summary>
    private void SendWindow()
    {
        long end = Math.Min(_acked + _negotiation.WindowSize, _lastBlock);
        if (_acked < 0)
        {
            end = 0;
        }

        long index = _sentUpTo + 1;
        while (index <= end)
        {
            if (index == 0)
            {
                SendToClient(_optionAck!);
                index++;
                continue;
            }

            int count = (int)Math.Min(end - index + 1, _blocksPerSend);
            if (count >= 2 && TrySendSegmented(index, count))
            {
                index += count;
                continue;
            }

            SendBlock(index);
            index++;
        }

        _sentUpTo = Math.Max(_sentUpTo, end);
    }

    /// <summary>
    /// Sends block <paramref name="index"/>: straight from the source's memory (the cached file, or the chunk just
    /// read) with the header gathered in front by the kernel, or else copied into the packet buffer first.
    /// </summary>
    private void SendBlock(long index)
    {
        long offset = (index - 1) * _negotiation.BlockSize;
        int size = (int)Math.Min(_negotiation.BlockSize, Math.Max(0, _source.Length - offset));
        if (_gather && _source.TryPeek(offset, size, out ReadOnlySpan<byte> data))
        {
            TftpPacket.WriteDataHeader(_packet, WireNumber(index));
            try
            {
                if (LinuxSockets.SendTo(_socket, _packet.AsSpan(0, 4), data, _destination))
                {
                    BytesSent += data.Length;
                    return;
                }
            }
            catch (SocketException ex) when (!IsClientGone(ex))
            {
                _gather = false;
            }
        }

        int read = ReadBlock(index, _packet);
        SendToClient(_packet.AsSpan(0, 4 + read));
        BytesSent += read;
    }

    /// <summary>Writes block <paramref name="index"/>, header and data, at the start of <paramref name="packet"/>.
    /// </summary>
    /// <returns>The data octets written after the four-octet header.</returns>
    private int ReadBlock(long index, Span<byte> packet)
    {
        long offset = (index - 1) * _negotiation.BlockSize;
        int size = (int)Math.Min(_negotiation.BlockSize, Math.Max(0, _source.Length - offset));
        TftpPacket.WriteDataHeader(packet, WireNumber(index));
        return size == 0 ? 0 : _source.Read(offset, packet.Slice(4, size));
    }

    /// <summary>
    /// Sends <paramref name="count"/> blocks from <paramref name="first"/> in one system call: the DATA packets
    /// lie end to end in one buffer and the kernel cuts it into datagrams of one packet each (UDP segmentation
    /// offload); the client receives ordinary datagrams. Only the last packet may be short — the file's last
    /// block. Returns false, and turns segmentation off for this transfer, when the kernel refuses it (an
    /// interface without checksum offload, say); the caller then sends the blocks one by one.
    /// </summary>
    private bool TrySendSegmented(long first, int count)
    {
        int segment = 4 + _negotiation.BlockSize;
        int length = 0;
        long data = 0;
        for (int i = 0; i < count; i++)
        {
            int read = ReadBlock(first + i, _batch.AsSpan(length, segment));
            length += 4 + read;
            data += read;
            if (read < _negotiation.BlockSize && i < count - 1)
            {
                // A short block can only be the last one of the file, hence of the batch; never reached.
                return false;
            }
        }

        try
        {
            if (!LinuxSockets.SendSegmented(_socket, _batch.AsSpan(0, length), _clientEndPoint, segment))
            {
                return false;
            }
        }
        catch (SocketException ex) when (!IsClientGone(ex))
        {
            _blocksPerSend = 1;
            return false;
        }

        BytesSent += data;
        return true;
    }

    /// <summary>
    /// How many blocks one send may carry: 1 unless the window has room for two or more and segmentation offload
    /// can be asked for here (Linux); then as many as fit in one UDP datagram and the kernel's segment limit.
    /// </summary>
    private static int BlocksPerSend(TftpNegotiation negotiation)
    {
        int fit = Math.Min(MaxSegmentsPerSend, MaxUdpPayload / (4 + negotiation.BlockSize));
        int blocks = (int)Math.Min(fit, negotiation.WindowSize);
        return blocks >= 2 && LinuxSockets.IsSupported ? blocks : 1;
    }

    private void SendToClient(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _client);

    /// <summary>The 16-bit number of block <paramref name="index"/>: wraps to 0, or to 1 with rollover 1.</summary>
    private ushort WireNumber(long index) => _negotiation.RolloverTo == 1 && index > ushort.MaxValue
        ? (ushort)(((index - 1) % ushort.MaxValue) + 1)
        : (ushort)index;

    /// <summary>The index in (acked, sentUpTo] whose wire number is <paramref name="block"/>, or -1.</summary>
    private long IndexOf(ushort block)
    {
        long first = _acked + 1;
        if (first > _sentUpTo)
        {
            return -1;
        }

        if (first == 0)
        {
            return block == 0 ? 0 : -1;
        }

        int cycle = _negotiation.RolloverTo == 1 ? ushort.MaxValue : ushort.MaxValue + 1;
        long delta = ((block - WireNumber(first)) % cycle + cycle) % cycle;
        long index = first + delta;
        return index <= _sentUpTo && WireNumber(index) == block ? index : -1;
    }
}
