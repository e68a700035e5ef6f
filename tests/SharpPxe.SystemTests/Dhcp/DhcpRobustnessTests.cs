using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SharpPxe.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Dhcp;

/// <summary>Bad input, a crash, and load: the DHCP server keeps serving and loses no lease (issue #3).</summary>
public partial class DhcpRobustnessTests(ITestOutputHelper output)
{
    private const int MalformedCount = 60;

    [LabFact]
    public async Task MalformedDatagrams_AreDroppedAndCounted_AndTheNextDiscoverIsAnswered()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state")));
        List<byte[]> datagrams = Malformed();
        Assert.Equal(MalformedCount, datagrams.Count);
        datagrams.Add(DhcpLab.Discover(cli.MacAddress, 0x5350_6001).ToArray());

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(cli, new RawDhcpRequest
        {
            Datagrams = datagrams, Interval = TimeSpan.FromMilliseconds(5), StopAfterReplies = 1,
        });

        DhcpMessage offer = Assert.Single(DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer));
        Assert.Equal(0x5350_6001u, offer.TransactionId);
        Assert.Equal(0, await server.StopAsync());
        output.WriteLine(server.OutputText);
        string summary = Assert.Single(
            server.Lines, l => l.Text.Contains("] dhcp: ", StringComparison.Ordinal)).Text;
        Match counts = SummaryRegex().Match(summary);
        Assert.True(counts.Success, summary);
        Assert.Equal((MalformedCount + 1).ToString(CultureInfo.InvariantCulture), counts.Groups["requests"].Value);
        Assert.Equal(MalformedCount.ToString(CultureInfo.InvariantCulture), counts.Groups["dropped"].Value);
        foreach (string reason in new[] { "TooShort", "BadHlen", "BadMagicCookie", "OptionTruncated", "OverloadLoop" })
        {
            Assert.Contains(reason, counts.Groups["reasons"].Value, StringComparison.Ordinal);
        }

        Assert.Equal(
            MalformedCount, server.Lines.Count(l => l.Text.Contains("dropped a datagram", StringComparison.Ordinal)));
    }

    [LabFact]
    public async Task Leases_SurviveSigkill_EachClientGetsItsAddressBackAndANewClientNoneOfThem()
    {
        const int Clients = 40;
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        string[] args = DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state"));
        LabProcess server = await DhcpLab.StartServerAsync(srv, args);
        IPAddress me = IPAddress.Parse(DhcpLab.ServerAddress);
        int[] order = [.. Enumerable.Range(1, Clients)];

        // 40 clients take leases in one order: DISCOVER all, then REQUEST each offer.
        Dictionary<string, IPAddress> offered = await DiscoverAllAsync(cli, order, xidBase: 0x1000);
        Assert.Equal(Clients, offered.Count);
        IReadOnlyList<RawDhcpReply> acks = await RawDhcpClient.SendAsync(cli, new RawDhcpRequest
        {
            Datagrams =
            [
                .. order.Select(n =>
                    DhcpLab.Request(DhcpLab.Mac(n), (uint)(0x2000 + n), offered[DhcpLab.Mac(n)], me).ToArray()),
            ],
            Interval = TimeSpan.FromMilliseconds(10), StopAfterReplies = Clients,
        });
        Dictionary<string, IPAddress> bound = DhcpLab.From(acks, DhcpLab.ServerAddress, DhcpMessageType.Ack)
            .ToDictionary(m => m.ClientMacAddress!, m => m.YourIpAddress);
        Assert.Equal(offered, bound);

        // Killed without warning, then started again on the same state directory.
        server.Kill();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        LabProcess restarted = await DhcpLab.StartServerAsync(srv, args);
        await restarted.WaitForOutputAsync(
            l => l.Contains($"DHCP leases: {Clients} loaded", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        // The same clients, in reverse order, are offered their old addresses.
        Dictionary<string, IPAddress> again = await DiscoverAllAsync(cli, [.. order.Reverse()], xidBase: 0x3000);
        Assert.Equal(bound, again);

        // A new client gets none of them.
        Dictionary<string, IPAddress> fresh = await DiscoverAllAsync(cli, [Clients + 1], xidBase: 0x4000);
        Assert.DoesNotContain(fresh.Values.Single(), bound.Values);
        output.WriteLine(restarted.OutputText);
    }

    [LabFact]
    public async Task HostileClients_StrangerDeclinesAndForeignRelays_DoNotTakeThePool()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.PoolServerArgs(lab, lab.CreateScratchDirectory("state"), "198.18.0.101"));
        IPAddress me = IPAddress.Parse(DhcpLab.ServerAddress);

        // One client declines every address of the pool without having been given any (RFC 2131 §4.3.3).
        List<byte[]> declines = [];
        foreach (string address in new[] { "198.18.0.100", "198.18.0.101" })
        {
            DhcpMessage decline = DhcpLab.Request(DhcpLab.Mac(0xee), 7, IPAddress.Parse(address), me);
            decline.MessageType = DhcpMessageType.Decline;
            declines.Add(decline.ToArray());
        }

        // A relayed DISCOVER from a subnet this server has no pool for.
        DhcpMessage foreign = DhcpLab.Discover(DhcpLab.Mac(0xef), 8);
        foreign.RelayAgentIpAddress = IPAddress.Parse("198.19.5.1");
        declines.Add(foreign.ToArray());
        await RawDhcpClient.SendAsync(
            cli, new RawDhcpRequest { Datagrams = declines, Listen = TimeSpan.FromSeconds(1) });

        // The pool is intact: a real client is offered its first address.
        IReadOnlyList<RawDhcpReply> replies =
            await RawDhcpClient.ExchangeAsync(cli, DhcpLab.Discover(cli.MacAddress, 9));
        DhcpMessage offer = Assert.Single(DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer));
        Assert.Equal("198.18.0.100", offer.YourIpAddress.ToString());
        Assert.Equal(0, await server.StopAsync());
        output.WriteLine(server.OutputText);
        Assert.DoesNotContain(server.Lines, l => l.Text.Contains("DHCPDECLINE", StringComparison.Ordinal));
        Assert.Contains(server.Lines, l => l.Text.Contains("DeclineRefused 2", StringComparison.Ordinal));
        Assert.Contains(server.Lines, l => l.Text.Contains("NoPoolForRelay 1", StringComparison.Ordinal));
    }

    [LabFact("perfdhcp")]
    public async Task Perfdhcp_TenSecondsAt1000PerSecond_CompletesAtLeast99Percent()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost perf = await lab.AddHostAsync("perf", "198.18.0.2/24");
        LabProcess server = await DhcpLab.StartServerAsync(srv,
        [
            "--dhcp", "--no-tftp", "--dhcp-begin", "198.18.0.10", "--dhcp-end", "198.18.0.250",
            "--dhcp-router", DhcpLab.Router, "--netboot-dir", lab.CreateScratchDirectory("netboot"),
            "--state-dir", lab.CreateScratchDirectory("state"), "--dhcp-serve-all",
        ]);

        PerfdhcpResult result = await PerfdhcpRunner.RunAsync(perf, new PerfdhcpOptions
        {
            Rate = 1000, Seconds = 10, Clients = 200,
        });

        Assert.Equal(0, await server.StopAsync());
        output.WriteLine($"{result}\n{server.OutputText}");
        Assert.True(result.DiscoverOffer is not null && result.RequestAck is not null, result.Output);
        Assert.True(result.DiscoverOffer.Sent >= 9000, result.ToString());
        Assert.True(result.Completion >= 0.99, result.ToString());
    }

    private static async Task<Dictionary<string, IPAddress>> DiscoverAllAsync(LabHost cli, int[] clients, int xidBase)
    {
        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(cli, new RawDhcpRequest
        {
            Datagrams = [.. clients.Select(n => DhcpLab.Discover(DhcpLab.Mac(n), (uint)(xidBase + n)).ToArray())],
            Interval = TimeSpan.FromMilliseconds(10), StopAfterReplies = clients.Length,
        });
        return DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer)
            .ToDictionary(m => m.ClientMacAddress!, m => m.YourIpAddress);
    }

    /// <summary>Sixty datagrams that must each be dropped with a reason, none of them answered.</summary>
    private static List<byte[]> Malformed()
    {
        byte[] valid = DhcpLab.Discover("02:53:00:00:0b:ad", 0x5350_0bad).ToArray();
        var list = new List<byte[]>();

        // Shorter than the fixed header and cookie: 12 lengths from empty to one byte short.
        foreach (int length in new[] { 0, 1, 4, 27, 28, 44, 100, 200, 235, 236, 239, 240 })
        {
            list.Add(valid[..Math.Min(length, 239)]);
        }

        // hlen over 16: 8 values.
        foreach (byte hlen in new byte[] { 17, 20, 32, 64, 100, 128, 200, 255 })
        {
            byte[] copy = [.. valid];
            copy[2] = hlen;
            list.Add(copy);
        }

        // A bad magic cookie: 8 variants.
        uint[] cookies = [0, 0x63825364, 0x53638263, 0xFFFFFFFF, 0x01020304, 0x63825300, 0x00825363, 0x6382];
        foreach (uint cookie in cookies)
        {
            byte[] copy = [.. valid];
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(236), cookie);
            list.Add(copy);
        }

        // An option running past the end: 8 cuts inside the first options, after the cookie.
        foreach (int cut in new[] { 241, 242, 243, 244, 245, 246, 247, 250 })
        {
            list.Add(valid[..cut]);
        }

        // Overload loops and bad overload values: option 52 inside the file field, or 52 with a bad value.
        for (int i = 0; i < 8; i++)
        {
            byte[] copy = new byte[300];
            valid.AsSpan(0, 240).CopyTo(copy);
            copy[240] = 53;
            copy[241] = 1;
            copy[242] = 1;
            copy[243] = 52;
            copy[244] = 1;
            copy[245] = i < 4 ? (byte)1 : (byte)(4 + i);
            copy[246] = 255;
            copy[108] = 52; // file field: an overload option again (RFC 2131 §4.1 forbids it)
            copy[109] = 1;
            copy[110] = 3;
            copy[111] = 255;
            list.Add(copy);
        }

        // Random bytes up to 1,500, with a fixed seed and the cookie broken so none parses.
        var random = new Random(20261204);
        for (int i = 0; i < 16; i++)
        {
            byte[] noise = new byte[random.Next(241, 1501)];
            random.NextBytes(noise);
            noise[236] = 0;
            list.Add(noise);
        }

        return list;
    }

    [GeneratedRegex(
        @"dhcp: (?<requests>\d+) requests, (?<replies>\d+) replies, (?<dropped>\d+) dropped \((?<reasons>[^)]*)\)")]
    private static partial Regex SummaryRegex();
}
