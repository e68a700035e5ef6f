using System.Net;
using System.Net.Sockets;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// A TFTP client on a UDP socket at 127.0.0.1 that the tests drive packet by packet, or let run a whole
/// read (<see cref="Fetch"/>) with RFC 7440 windows, rollover and a hook that "loses" chosen blocks.
/// Synchronous (the socket is polled), so run it with Task.Run when several must overlap.
/// </summary>
internal sealed class ScriptedTftpClient : IDisposable
{
    /// <summary>How long to wait for any expected reply: far above the server's 1 s retransmission timeout.</summary>
    public static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(5);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[70_000];

    public ScriptedTftpClient(IPEndPoint server)
    {
        Server = server;
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    /// <summary>The server's listening endpoint, where requests go.</summary>
    public IPEndPoint Server { get; }

    /// <summary>The transfer's endpoint (its transfer identifier), once a reply to a request came.</summary>
    public IPEndPoint? Peer { get; set; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void SendTo(byte[] datagram, IPEndPoint to) => _socket.SendTo(datagram, to);

    /// <summary>Sends to the listening port.</summary>
    public void SendToServer(byte[] datagram) => SendTo(datagram, Server);

    /// <summary>Sends to the transfer's port.</summary>
    public void SendToPeer(byte[] datagram) =>
        SendTo(datagram, Peer ?? throw new InvalidOperationException("No transfer yet."));

    /// <summary>The next datagram, or null when none comes within <paramref name="wait"/>.</summary>
    public WirePacket? Receive(TimeSpan wait)
    {
        if (!_socket.Poll(wait, SelectMode.SelectRead))
        {
            return null;
        }

        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int length = _socket.ReceiveFrom(_buffer, ref from);
        return new WirePacket((IPEndPoint)from, _buffer[..length]);
    }

    /// <summary>The next datagram; fails the test when none comes within <see cref="ReplyWait"/>.</summary>
    public WirePacket Expect(string what) =>
        Receive(ReplyWait) ?? throw new TimeoutException($"No {what} within {ReplyWait}.");

    /// <summary>
    /// DATA <paramref name="block"/>, passing over what the server sent again because one of our ACKs reached it
    /// after its timeout (a busy machine): its OACK and blocks before this one. Anything else is returned for
    /// the caller to reject.
    /// </summary>
    public WirePacket ExpectData(ushort block)
    {
        while (true)
        {
            WirePacket packet = Expect($"DATA {block}");
            if (!packet.IsOptionAck && !(packet.IsData && packet.Number < block))
            {
                return packet;
            }
        }
    }

    /// <summary>Every datagram that arrives within <paramref name="window"/> (none expected, usually).</summary>
    public List<WirePacket> Drain(TimeSpan window)
    {
        var packets = new List<WirePacket>();
        DateTime end = DateTime.UtcNow + window;
        for (TimeSpan left = window; left > TimeSpan.Zero; left = end - DateTime.UtcNow)
        {
            if (Receive(left) is { } packet)
            {
                packets.Add(packet);
            }
        }

        return packets;
    }

    /// <summary>
    /// Reads <paramref name="file"/> to the end: RRQ with <paramref name="options"/>, ACK 0 for an OACK, then
    /// DATA in windows of the agreed size, ACKing the last block of each. A block for which
    /// <paramref name="lose"/> (given its 1-based index) says true is ignored on its first arrival, as if lost:
    /// in lock-step it is then not ACKed, so only the server's timer brings it again; in a window the next
    /// block reveals the gap and the block before it is ACKed (RFC 7440 §4).
    /// </summary>
    /// <exception cref="InvalidOperationException">The server answered with an ERROR.</exception>
    public FetchResult Fetch(
        string file, (string Name, string Value)[] options, Func<long, bool>? lose = null, string mode = "octet")
    {
        SendToServer(TftpWire.Request(TftpWire.ReadRequest, file, mode, options));
        WirePacket first = Expect($"reply to the RRQ for {file}");
        Peer = first.From;
        var result = new FetchResult { Peer = first.From };
        int blockSize = 512;
        int window = 1;
        int rolloverTo = 0;
        WirePacket? pending = first;
        if (first.IsOptionAck)
        {
            result.OptionAck = first.Options;
            blockSize = int.Parse(first.Options.GetValueOrDefault("blksize", "512"), CultureInfo);
            window = int.Parse(first.Options.GetValueOrDefault("windowsize", "1"), CultureInfo);
            rolloverTo = int.Parse(first.Options.GetValueOrDefault("rollover", "0"), CultureInfo);
            pending = null;
            SendToPeer(TftpWire.AckOf(0));
        }

        using var data = new MemoryStream();
        long expected = 1;
        int sinceAck = 0;
        bool gapAcked = false;
        while (true)
        {
            WirePacket packet = pending ?? Expect($"DATA {expected} of {file}");
            pending = null;
            if (!packet.From.Equals(Peer))
            {
                result.Strays.Add(packet);
                continue;
            }

            if (packet.IsError)
            {
                throw new InvalidOperationException($"{file}: {packet} after {data.Length} octets");
            }

            if (!packet.IsData)
            {
                result.Others.Add(packet);
                continue;
            }

            result.WireLog.Add(packet.Number);
            ushort wanted = TftpWire.WireNumber(expected, rolloverTo);
            if (packet.Number == wanted)
            {
                if (lose is not null && !result.Lost.Contains(expected) && lose(expected))
                {
                    result.Lost.Add(expected);
                    continue;
                }

                data.Write(packet.Payload);
                bool last = packet.Payload.Length < blockSize;
                if (last || ++sinceAck == window)
                {
                    SendToPeer(TftpWire.AckOf(packet.Number));
                    sinceAck = 0;
                }

                if (last)
                {
                    result.Data = data.ToArray();
                    result.Blocks = expected;
                    return result;
                }

                expected++;
                gapAcked = false;
            }
            else if (window > 1 && !gapAcked && IsAhead(packet.Number, wanted, window, rolloverTo))
            {
                // RFC 7440 §4: a block is missing; ACK the last one received in order, once.
                SendToPeer(TftpWire.AckOf(TftpWire.WireNumber(expected - 1, rolloverTo)));
                sinceAck = 0;
                gapAcked = true;
            }
        }
    }

    /// <summary>Reads <paramref name="file"/> on a fresh client on a pool thread.</summary>
    public static Task<FetchResult> FetchInBackground(
        IPEndPoint server, string file, params (string Name, string Value)[] options) => ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server);
            return client.Fetch(file, options);
        });

    public void Dispose() => _socket.Dispose();

    private static IFormatProvider CultureInfo => System.Globalization.CultureInfo.InvariantCulture;

    private static bool IsAhead(ushort block, ushort wanted, int window, int rolloverTo)
    {
        int cycle = rolloverTo == 1 ? ushort.MaxValue : ushort.MaxValue + 1;
        int offset = rolloverTo == 1 ? 1 : 0;
        int delta = ((block - offset) - (wanted - offset) + cycle) % cycle;
        return delta > 0 && delta <= window;
    }
}

/// <summary>What <see cref="ScriptedTftpClient.Fetch"/> saw.</summary>
internal sealed class FetchResult
{
    public byte[] Data { get; set; } = [];

    public long Blocks { get; set; }

    public IPEndPoint? Peer { get; set; }

    public IReadOnlyDictionary<string, string>? OptionAck { get; set; }

    /// <summary>The block number of every DATA from the transfer, in arrival order, repeats included.</summary>
    public List<ushort> WireLog { get; } = [];

    /// <summary>The indexes of the blocks the client pretended to lose.</summary>
    public HashSet<long> Lost { get; } = [];

    /// <summary>Datagrams from any other endpoint than the transfer's.</summary>
    public List<WirePacket> Strays { get; } = [];

    /// <summary>Datagrams from the transfer that were neither DATA nor ERROR (a repeated OACK, say).</summary>
    public List<WirePacket> Others { get; } = [];

    public string Sha256 => LoopbackCorpus.Sha256(Data);
}

/// <summary>
/// Runs a synchronous scripted client on a thread of its own: blocked in Poll, it must not hold a pool thread
/// that the in-process server's continuations need (with two CPUs the pool starts with two threads).
/// </summary>
internal static class ClientThread
{
    public static Task<T> Run<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task Run(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
