using System.Globalization;
using System.Text.Json;
using SharpPxe.Dhcp;

namespace SharpPxe.SystemTests.Lab;

/// <summary>What <see cref="RawDhcpClient"/> sends, where from and how long it listens.</summary>
internal sealed record RawDhcpRequest
{
    /// <summary>The UDP payloads, sent in order.</summary>
    public required IReadOnlyList<byte[]> Datagrams { get; init; }

    /// <summary>Destination address; the limited broadcast by default.</summary>
    public string Destination { get; init; } = "255.255.255.255";

    /// <summary>Destination port: 67, or 4011 for a PXE boot server.</summary>
    public int DestinationPort { get; init; } = 67;

    /// <summary>Local address to bind (and receive on): 0.0.0.0, or e.g. a relay's 198.18.1.1.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>Local port: 68 for a client, 67 for a relay agent.</summary>
    public int SourcePort { get; init; } = 68;

    /// <summary>SO_BINDTODEVICE; "eth0" by default so a broadcast leaves without any route. Null: none.</summary>
    public string? Device { get; init; } = "eth0";

    /// <summary>How long to keep listening after the last datagram.</summary>
    public TimeSpan Listen { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between datagrams (replies are collected meanwhile).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.Zero;

    /// <summary>Stop listening once this many replies arrived (0: listen the whole time).</summary>
    public int StopAfterReplies { get; init; }
}

/// <summary>One datagram the raw client received.</summary>
internal sealed record RawDhcpReply(
    double Time, string Source, int SourcePort, string Destination, int InterfaceIndex, byte[] Payload)
{
    /// <summary>The payload parsed by the SharpPXE codec; null when it does not parse.</summary>
    public DhcpMessage? Message => DhcpMessage.TryParse(Payload, out DhcpMessage? message, out _) ? message : null;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Time:F3}s {Source}:{SourcePort} -> {Destination} ({Payload.Length} B, {Message?.MessageType})");
}

/// <summary>
/// Sends hand-made DHCP datagrams from inside a lab namespace and collects every reply, using a short
/// python3 script (python3 is on every machine). The C# side builds datagrams with
/// <see cref="DhcpMessage"/> and parses the replies with it. Replies addressed to an IP the namespace
/// does not own (a unicast to yiaddr) are not seen: set the broadcast flag in client messages.
/// </summary>
internal static class RawDhcpClient
{
    private const string Script = """
        import json, socket, sys, time
        a = json.load(open(sys.argv[1]))
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.setsockopt(socket.IPPROTO_IP, 8, 1)  # IP_PKTINFO: learn each reply's destination address
        if a["device"]:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a["device"].encode())
        s.bind((a["bind"], a["sport"]))
        t0, got = time.monotonic(), 0

        def drain(until):
            global got
            while not (a["max"] and got >= a["max"]):
                left = until - time.monotonic()
                if left <= 0:
                    return
                s.settimeout(left)
                try:
                    data, anc, _, src = s.recvmsg(65535, 256)
                except socket.timeout:
                    return
                dst, ifindex = "", 0
                for level, kind, val in anc:
                    if level == socket.IPPROTO_IP and kind == 8:
                        ifindex, dst = int.from_bytes(val[0:4], sys.byteorder), socket.inet_ntoa(val[8:12])
                got += 1
                print(json.dumps({"t": round(time.monotonic() - t0, 4), "src": src[0], "sport": src[1],
                                  "dst": dst, "ifindex": ifindex, "hex": data.hex()}), flush=True)

        for h in a["datagrams"]:
            s.sendto(bytes.fromhex(h), (a["dst"], a["dport"]))
            drain(time.monotonic() + a["interval"])
        print(json.dumps({"sent": len(a["datagrams"])}), flush=True)
        drain(time.monotonic() + a["listen"])
        """;

    /// <summary>Sends one message and returns every reply that arrives within the listen time.</summary>
    public static Task<IReadOnlyList<RawDhcpReply>> ExchangeAsync(
        LabHost host, DhcpMessage message, TimeSpan? listen = null, string destination = "255.255.255.255") =>
        SendAsync(host, new RawDhcpRequest
        {
            Datagrams = [(message ?? throw new ArgumentNullException(nameof(message))).ToArray()],
            Destination = destination,
            Listen = listen ?? TimeSpan.FromSeconds(2),
        });

    /// <summary>Runs the request in the host's namespace and returns the replies in arrival order.</summary>
    public static async Task<IReadOnlyList<RawDhcpReply>> SendAsync(LabHost host, RawDhcpRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        string dir = host.Lab.CreateScratchDirectory("raw");
        string scriptPath = Path.Combine(dir, "raw-dhcp.py");
        string requestPath = Path.Combine(dir, "request.json");
        await File.WriteAllTextAsync(scriptPath, Script);
        var json = new Dictionary<string, object?>
        {
            ["datagrams"] = request.Datagrams.Select(d => Convert.ToHexString(d)).ToArray(),
            ["dst"] = request.Destination,
            ["dport"] = request.DestinationPort,
            ["bind"] = request.BindAddress,
            ["sport"] = request.SourcePort,
            ["device"] = request.Device,
            ["listen"] = request.Listen.TotalSeconds,
            ["interval"] = request.Interval.TotalSeconds,
            ["max"] = request.StopAfterReplies,
        };
        await File.WriteAllTextAsync(requestPath, JsonSerializer.Serialize(json));

        TimeSpan limit = request.Listen + (request.Interval * request.Datagrams.Count) + TimeSpan.FromSeconds(15);
        LabProcess process = await host.StartAsync(Python, [scriptPath, requestPath]);
        int code = await process.WaitForExitAsync(limit);
        if (code != 0 || !process.Lines.Any(l => l.Text.StartsWith("{\"sent\"", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"The raw DHCP client failed (exit {code}):\n{process.OutputText}");
        }

        return [.. process.Lines
            .Where(l => l.Stream == LabStream.Out && l.Text.StartsWith("{\"t\"", StringComparison.Ordinal))
            .Select(l => ParseReply(l.Text))];
    }

    /// <summary>The python3 interpreter: the system one when present.</summary>
    internal static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static RawDhcpReply ParseReply(string line)
    {
        using var doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        return new RawDhcpReply(
            root.GetProperty("t").GetDouble(),
            root.GetProperty("src").GetString() ?? string.Empty,
            root.GetProperty("sport").GetInt32(),
            root.GetProperty("dst").GetString() ?? string.Empty,
            root.GetProperty("ifindex").GetInt32(),
            Convert.FromHexString(root.GetProperty("hex").GetString() ?? string.Empty));
    }
}
