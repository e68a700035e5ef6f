using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SharpPxe.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Dhcp;

/// <summary>The full DHCP server (--dhcp) against real clients in network namespaces (issue #3).</summary>
public partial class DhcpServerTests(ITestOutputHelper output)
{
    [LabFact("dhclient")]
    public async Task Dhclient_PxeVendorClass_GetsLeaseWithOptionsAndReleases()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state")));
        await using var dhclient = new DhclientRunner(
            cli, new DhclientOptions { VendorClass = DhcpLab.BiosVendorClass, ConfigureAddress = true });

        ClientLease? lease = await dhclient.ObtainAsync();

        output.WriteLine($"lease: {lease}\n{server.OutputText}");
        Assert.True(lease is not null, $"no lease:\n{dhclient.Output}\n{server.OutputText}");
        AssertLease(lease, "undionly.kpxe");
        Assert.Contains($"{lease.IpAddress}/24", await cli.GetAddressesAsync());

        Assert.Equal(0, await dhclient.ReleaseAsync());
        await server.WaitForOutputAsync(
            l => l.Contains($"DHCPRELEASE {cli.MacAddress} {lease.IpAddress}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));

        // SIGTERM stops every service cleanly with exit 0 (PyPXE ignored SIGTERM) and summarises the counters.
        Assert.Equal(0, await server.StopAsync());
        // DISCOVER, REQUEST and RELEASE, each answered but the RELEASE. dhclient sends a message again after 1 s
        // without an answer (the lab's initial-interval), so a slow start may add a pair: replies trail by one.
        string summary = Assert.Single(server.Lines, l => l.Text.Contains("dhcp: ", StringComparison.Ordinal)
            && l.Text.Contains(" requests, ", StringComparison.Ordinal)).Text;
        Match counts = CountsRegex().Match(summary);
        Assert.True(counts.Success, summary);
        int requests = int.Parse(counts.Groups[1].Value, CultureInfo.InvariantCulture);
        int replies = int.Parse(counts.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(requests, 3, 6);
        Assert.Equal(requests - 1, replies);
    }

    [LabFact("udhcpc")]
    public async Task Udhcpc_UefiPxeClient_GetsLeaseWithUefiBootFile()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);

        // --interface binds the service to the one interface (SO_BINDTODEVICE).
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state"), "--interface", srv.InterfaceName));
        Assert.Contains(server.Lines, l => l.Text.Contains($"DHCP listening on 0.0.0.0:67 on {srv.InterfaceName}",
            StringComparison.Ordinal));

        UdhcpcResult result = await UdhcpcRunner.RunAsync(cli, new UdhcpcOptions
        {
            VendorClass = DhcpLab.UefiVendorClass, SendOptions = ["0x5d:0007"], ConfigureAddress = true,
        });

        output.WriteLine($"exit {result.ExitCode}, lease {result.Lease}\n{server.OutputText}");
        Assert.True(result.ExitCode == 0 && result.Lease is not null, $"{result.Output}\n{server.OutputText}");
        AssertLease(result.Lease, "ipxe.efi");
        await server.WaitForOutputAsync(l => l.Contains($"DHCPACK {cli.MacAddress} arch x64-uefi",
            StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [LabFact("udhcpc")]
    public async Task Udhcpc_PlainClient_IsServedOnlyWithServeAll()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        string state = lab.CreateScratchDirectory("state");
        LabProcess server = await DhcpLab.StartServerAsync(srv, DhcpLab.FullServerArgs(lab, state));

        // udhcpc's own option 60 ("udhcp 1.35.0") is not a PXE client: PyPXE's rule, kept by default.
        UdhcpcResult ignored = await UdhcpcRunner.RunAsync(cli, new UdhcpcOptions { Tries = 1 });
        Assert.Null(ignored.Lease);
        Assert.Equal(0, await server.StopAsync());

        LabProcess serveAll = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, state, "--dhcp-serve-all"));
        UdhcpcResult served = await UdhcpcRunner.RunAsync(cli, new UdhcpcOptions());

        output.WriteLine($"{served.Lease}\n{serveAll.OutputText}");
        Assert.NotNull(served.Lease);
        Assert.Null(served.Lease.BootFile);
        Assert.StartsWith("198.18.0.1", served.Lease.IpAddress, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Discover_IpxeUefiAndBios_GetScriptUrlIpxeEfiAndUndionly()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state"), "--http"));

        // iPXE sends its user class raw (LAB.md): option 77 = "iPXE".
        DhcpMessage ipxe = DhcpLab.Discover(DhcpLab.Mac(0x71), 0x71, "PXEClient:Arch:00007:UNDI:003010", 7);
        ipxe.SetOption(DhcpOptionCode.UserClass, "iPXE"u8);
        DhcpMessage uefi = DhcpLab.Discover(DhcpLab.Mac(0x72), 0x72, DhcpLab.UefiVendorClass, 7);
        DhcpMessage bios = DhcpLab.Discover(DhcpLab.Mac(0x73), 0x73, DhcpLab.BiosVendorClass, 0);

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(cli, new RawDhcpRequest
        {
            Datagrams = [ipxe.ToArray(), uefi.ToArray(), bios.ToArray()], StopAfterReplies = 3,
        });

        output.WriteLine(server.OutputText);
        Dictionary<uint, DhcpMessage> offers = DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer)
            .ToDictionary(m => m.TransactionId);
        Assert.Equal("http://198.18.0.1/boot.http.ipxe", BootFile(offers[0x71]));
        Assert.Equal("ipxe.efi", BootFile(offers[0x72]));
        Assert.Equal("undionly.kpxe", BootFile(offers[0x73]));
        Assert.Equal(offers[0x72].BootFileName, BootFile(offers[0x72]));
    }

    [LabFact]
    public async Task Discover_ThroughRelay_IsAnsweredByUnicastToTheRelayWithOption82Echoed()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost relay = await lab.AddRelayAsync("relay", "198.18.0.254/24", "198.18.1.1/24");
        await srv.AddRouteAsync("198.18.1.0/24", "198.18.0.254");
        LabProcess server = await DhcpLab.StartServerAsync(srv,
        [
            "--dhcp", "--no-tftp", "--dhcp-begin", "198.18.1.100", "--dhcp-end", "198.18.1.149",
            "--dhcp-router", "198.18.1.1", "--netboot-dir", lab.CreateScratchDirectory("netboot"),
            "--state-dir", lab.CreateScratchDirectory("state"), "--verbose", "all",
        ]);
        DhcpMessage discover = DhcpLab.Discover("02:53:00:00:01:0c", 0x5350_1001);
        discover.BroadcastFlag = false;
        discover.RelayAgentIpAddress = IPAddress.Parse("198.18.1.1");
        discover.Hops = 1;
        byte[] agentInformation = [1, 4, 0x65, 0x74, 0x68, 0x31, 2, 3, 0xAA, 0xBB, 0xCC];
        discover.SetOption(DhcpOptionCode.RelayAgentInformation, agentInformation);

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(relay, new RawDhcpRequest
        {
            Datagrams = [discover.ToArray()], Destination = DhcpLab.ServerAddress, BindAddress = "198.18.1.1",
            SourcePort = 67, Device = null, StopAfterReplies = 1,
        });

        output.WriteLine($"{string.Join("; ", replies)}\n{server.OutputText}");
        RawDhcpReply reply = Assert.Single(replies);
        Assert.Equal((DhcpLab.ServerAddress, 67, "198.18.1.1"), (reply.Source, reply.SourcePort, reply.Destination));
        DhcpMessage offer = Assert.IsType<DhcpMessage>(reply.Message);
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal("198.18.1.1", offer.RelayAgentIpAddress.ToString());
        Assert.Equal("198.18.1.100", offer.YourIpAddress.ToString());
        Assert.True(offer.TryGetOption(DhcpOptionCode.RelayAgentInformation, out ReadOnlyMemory<byte> echoed));
        Assert.Equal(agentInformation, echoed.ToArray());
        Assert.True(reply.Payload.Length >= DhcpMessage.MinimumMessageLength);
    }

    [LabFact]
    public async Task Request_NamingAnotherServer_GetsNoReply()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state")));
        string mac = cli.MacAddress;

        IReadOnlyList<RawDhcpReply> offers = await RawDhcpClient.ExchangeAsync(cli, DhcpLab.Discover(mac, 0x5350_2001));
        DhcpMessage offer = Assert.Single(DhcpLab.From(offers, DhcpLab.ServerAddress, DhcpMessageType.Offer));
        DhcpMessage elsewhere = DhcpLab.Request(mac, 0x5350_2001, offer.YourIpAddress, IPAddress.Parse("198.18.0.77"));
        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.ExchangeAsync(cli, elsewhere);

        output.WriteLine(server.OutputText);
        Assert.Empty(replies);
        await server.WaitForOutputAsync(
            l => l.Contains("the client chose server 198.18.0.77", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
    }

    [LabFact]
    public async Task RequestLifecycle_NakDeclineInform_FollowRfc2131()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state")));
        IPAddress me = IPAddress.Parse(DhcpLab.ServerAddress);

        // Client A takes an address.
        string a = DhcpLab.Mac(0xa1);
        DhcpMessage offerA = Assert.Single(DhcpLab.From(
            await RawDhcpClient.ExchangeAsync(cli, DhcpLab.Discover(a, 1)), DhcpLab.ServerAddress,
            DhcpMessageType.Offer));
        Assert.Single(DhcpLab.From(
            await RawDhcpClient.ExchangeAsync(cli, DhcpLab.Request(a, 1, offerA.YourIpAddress, me)),
            DhcpLab.ServerAddress, DhcpMessageType.Ack));

        // INIT-REBOOT by client B for A's address: DHCPNAK, broadcast (RFC 2131 §4.3.2).
        DhcpMessage reboot = DhcpLab.Request(DhcpLab.Mac(0xb2), 2, offerA.YourIpAddress, me);
        reboot.RemoveOption(DhcpOptionCode.ServerIdentifier);
        IReadOnlyList<RawDhcpReply> nak = await RawDhcpClient.ExchangeAsync(cli, reboot);
        DhcpMessage nakMessage = Assert.Single(DhcpLab.From(nak, DhcpLab.ServerAddress, DhcpMessageType.Nak));
        Assert.Equal(IPAddress.Any, nakMessage.YourIpAddress);
        Assert.Equal("255.255.255.255", nak[0].Destination);

        // DHCPDECLINE by A: the address is kept out of the pool; a new client gets another one.
        DhcpMessage decline = DhcpLab.Request(a, 3, offerA.YourIpAddress, me);
        decline.MessageType = DhcpMessageType.Decline;
        Assert.Empty(await RawDhcpClient.ExchangeAsync(cli, decline, TimeSpan.FromSeconds(1)));
        DhcpMessage offerC = Assert.Single(DhcpLab.From(
            await RawDhcpClient.ExchangeAsync(cli, DhcpLab.Discover(DhcpLab.Mac(0xc3), 4)), DhcpLab.ServerAddress,
            DhcpMessageType.Offer));
        Assert.NotEqual(offerA.YourIpAddress, offerC.YourIpAddress);

        // DHCPINFORM: an ACK with no address and no lease time (RFC 2131 §4.3.5).
        DhcpMessage inform = DhcpLab.Discover(DhcpLab.Mac(0xd4), 5);
        inform.MessageType = DhcpMessageType.Inform;
        DhcpMessage informAck = Assert.Single(DhcpLab.From(
            await RawDhcpClient.ExchangeAsync(cli, inform), DhcpLab.ServerAddress, DhcpMessageType.Ack));
        Assert.Equal(IPAddress.Any, informAck.YourIpAddress);
        Assert.False(informAck.HasOption(DhcpOptionCode.LeaseTime));
        Assert.True(informAck.HasOption(DhcpOptionCode.SubnetMask));

        output.WriteLine(server.OutputText);
        Assert.Contains(server.Lines, l => l.Text.Contains($"DHCPDECLINE {a}", StringComparison.Ordinal));
    }

    [LabFact]
    public async Task Discover_PoolExhausted_IsLoggedOnceAndAnsweredWithSilence()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        LabProcess server = await DhcpLab.StartServerAsync(
            srv, DhcpLab.PoolServerArgs(lab, lab.CreateScratchDirectory("state"), "198.18.0.101"));

        var datagrams = Enumerable.Range(1, 5)
            .Select(n => DhcpLab.Discover(DhcpLab.Mac(n), (uint)n).ToArray()).ToList();
        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(cli, new RawDhcpRequest
        {
            Datagrams = datagrams, Interval = TimeSpan.FromMilliseconds(50),
        });

        output.WriteLine($"{string.Join("; ", replies)}\n{server.OutputText}");
        List<DhcpMessage> offers = DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer);
        Assert.Equal(["198.18.0.100", "198.18.0.101"], offers.Select(o => o.YourIpAddress.ToString()).Order());
        Assert.Single(server.Lines, l => l.Text.Contains("is exhausted", StringComparison.Ordinal));
    }

    [LabFact]
    public async Task Serve_PortAlreadyInUse_ExitsOneWithOneLineNamingServiceAndPort()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabProcess first = await DhcpLab.StartServerAsync(
            srv, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state1")));

        LabProcess second = await srv.StartAsync(
            SharpPxeBinary.Path, DhcpLab.FullServerArgs(lab, lab.CreateScratchDirectory("state2")));
        int exitCode = await second.WaitForExitAsync(DhcpLab.StartTimeout);

        output.WriteLine(second.OutputText);
        Assert.Equal(1, exitCode);
        Assert.Single(second.Lines, l => l.Text.StartsWith("sharppxe: error: ", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l.Text.StartsWith(
            "sharppxe: error: DHCP could not listen on 0.0.0.0:67 (UDP): the port is already in use",
            StringComparison.Ordinal));
        Assert.False(first.HasExited);
    }

    private static string? BootFile(DhcpMessage offer) =>
        offer.TryGetStringOption(DhcpOptionCode.BootfileName, out string? file) ? file : null;

    private static void AssertLease(ClientLease lease, string bootFile)
    {
        Assert.StartsWith("198.18.0.1", lease.IpAddress, StringComparison.Ordinal);  // the pool .100-.149
        Assert.Equal("255.255.255.0", lease.SubnetMask);                            // option 1
        Assert.Equal(DhcpLab.Router, lease.Routers);                                 // option 3
        Assert.Equal(DhcpLab.Dns, lease.DnsServers);                                 // option 6
        Assert.Equal(3600, lease.LeaseTime);                                         // option 51
        Assert.Equal(DhcpLab.ServerAddress, lease.ServerIdentifier);                 // option 54
        Assert.Equal(DhcpLab.ServerAddress, lease.TftpServerName);                   // option 66
        Assert.Equal(DhcpLab.ServerAddress, lease.NextServer);                       // siaddr
        Assert.Equal(bootFile, lease.BootFile);                                      // option 67
    }

    [GeneratedRegex(@"dhcp: (\d+) requests, (\d+) replies")]
    private static partial Regex CountsRegex();
}
