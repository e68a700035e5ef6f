using System.Net;
using SharpPxe.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Dhcp;

/// <summary>
/// ProxyDHCP (--dhcp-proxy) beside a separate DHCP server (dnsmasq, DHCP only) on the same segment: the proxy
/// adds boot information on port 67 and answers the PXE boot server exchange on 4011, in both modes.
/// </summary>
public class ProxyDhcpTests(ITestOutputHelper output)
{
    private const string DhcpServerAddress = "198.18.0.2";
    private static readonly byte[] s_machineId = [0, .. Enumerable.Range(1, 16).Select(i => (byte)i)];

    [LabFact("dnsmasq")]
    public async Task ProxyOffer_FileInOffer_CarriesBootFileAndSkipsDiscovery()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        (LabHost cli, LabProcess proxy) = await StartAsync(lab, bootServer: false);
        DhcpMessage discover = PxeDiscover(cli.MacAddress, 0x5350_3001);

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.ExchangeAsync(cli, discover);

        output.WriteLine($"{string.Join("; ", replies)}\n{proxy.OutputText}");
        DhcpMessage address = Assert.Single(DhcpLab.From(replies, DhcpServerAddress, DhcpMessageType.Offer));
        Assert.NotEqual(IPAddress.Any, address.YourIpAddress);
        DhcpMessage offer = Assert.Single(DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer));
        AssertProxyIdentity(offer);
        Assert.Equal("undionly.kpxe", offer.BootFileName);
        Assert.True(offer.TryGetStringOption(DhcpOptionCode.BootfileName, out string? file));
        Assert.Equal("undionly.kpxe", file);
        PxeVendorOptions vendor = Vendor(offer);
        Assert.True(vendor.TryGet(PxeVendorOptions.DiscoveryControlCode, out ReadOnlyMemory<byte> control));
        Assert.Equal((byte)PxeDiscoveryControl.DownloadBootFile, control.Span[0]);

        // The client's REQUEST on port 67 belongs to the DHCP server: it ACKs, the proxy stays silent.
        DhcpMessage request = DhcpLab.Request(cli.MacAddress, 0x5350_3001, address.YourIpAddress,
            IPAddress.Parse(DhcpServerAddress));
        request.SetOption(DhcpOptionCode.ClientMachineId, s_machineId);
        IReadOnlyList<RawDhcpReply> acks = await RawDhcpClient.ExchangeAsync(cli, request);
        Assert.Single(DhcpLab.From(acks, DhcpServerAddress, DhcpMessageType.Ack));
        Assert.DoesNotContain(acks, r => r.Source == DhcpLab.ServerAddress);
    }

    [LabFact("dnsmasq")]
    public async Task ProxyOffer_BootServerMode_WithholdsFileAndPort4011Answers()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        (LabHost cli, LabProcess proxy) = await StartAsync(lab, bootServer: true);
        DhcpMessage discover = PxeDiscover(cli.MacAddress, 0x5350_4001, arch: 7);

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.ExchangeAsync(cli, discover);

        DhcpMessage offer = Assert.Single(DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer));
        AssertProxyIdentity(offer);
        Assert.Equal(string.Empty, offer.BootFileName);
        Assert.False(offer.HasOption(DhcpOptionCode.BootfileName));
        PxeVendorOptions vendor = Vendor(offer);
        Assert.True(vendor.TryGet(PxeVendorOptions.BootServersCode, out ReadOnlyMemory<byte> servers));
        Assert.Equal([0x80, 0, 1, 198, 18, 0, 1], servers.ToArray());

        // With its address from the DHCP server, the client asks the boot server on 4011.
        DhcpMessage ack = await BootServerExchangeAsync(lab, arch: 7);
        output.WriteLine(proxy.OutputText);
        Assert.Equal("ipxe.efi", ack.BootFileName);
        // The line is logged as the ACK goes out, but reaches us through the logger and a pipe: wait for it.
        await proxy.WaitForOutputAsync(l => l.Contains("PXE boot server ACK", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }

    [LabFact("dnsmasq")]
    public async Task ProxyOffer_BootServerMode_IpxeGetsTheScriptInTheOffer()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        (LabHost cli, LabProcess proxy) = await StartAsync(lab, bootServer: true);
        DhcpMessage discover = PxeDiscover(cli.MacAddress, 0x5350_4201, arch: 7);
        discover.SetOption(DhcpOptionCode.UserClass, "iPXE"u8);

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.ExchangeAsync(cli, discover);

        output.WriteLine($"{string.Join("; ", replies)}\n{proxy.OutputText}");
        DhcpMessage offer = Assert.Single(DhcpLab.From(replies, DhcpLab.ServerAddress, DhcpMessageType.Offer));
        AssertProxyIdentity(offer);
        // The script URL (TFTP here: this proxy runs without --http).
        Assert.Equal($"tftp://{DhcpLab.ServerAddress}/boot.ipxe", offer.BootFileName);
        Assert.True(Vendor(offer).TryGet(PxeVendorOptions.DiscoveryControlCode, out ReadOnlyMemory<byte> control));
        Assert.Equal((byte)PxeDiscoveryControl.DownloadBootFile, control.Span[0]);
        Assert.False(Vendor(offer).TryGet(PxeVendorOptions.BootMenuCode, out _));
    }

    [LabFact("dnsmasq")]
    public async Task BootServer_FileInOfferMode_StillAnswersPort4011()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        (_, LabProcess proxy) = await StartAsync(lab, bootServer: false);

        DhcpMessage ack = await BootServerExchangeAsync(lab, arch: 0);

        output.WriteLine(proxy.OutputText);
        Assert.Equal("undionly.kpxe", ack.BootFileName);
    }

    [LabFact("dnsmasq")]
    public async Task ProxyOffer_ThroughRelay_GoesToTheRelayWithOption82Echoed()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        (_, LabProcess proxy) = await StartAsync(lab, bootServer: false);
        LabHost relay = await lab.AddRelayAsync("relay", "198.18.0.254/24", "198.18.1.1/24");
        LabHost srv = lab.Hosts.Single(h => h.Name == "srv");
        await srv.AddRouteAsync("198.18.1.0/24", "198.18.0.254");
        DhcpMessage discover = PxeDiscover("02:53:00:00:01:0d", 0x5350_4101);
        discover.BroadcastFlag = false;
        discover.RelayAgentIpAddress = IPAddress.Parse("198.18.1.1");
        byte[] agentInformation = [1, 4, 0x61, 0x62, 0x63, 0x64];
        discover.SetOption(DhcpOptionCode.RelayAgentInformation, agentInformation);

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(relay, new RawDhcpRequest
        {
            Datagrams = [discover.ToArray()], Destination = DhcpLab.ServerAddress, BindAddress = "198.18.1.1",
            SourcePort = 67, Device = null,
        });

        output.WriteLine($"{string.Join("; ", replies)}\n{proxy.OutputText}");
        RawDhcpReply reply = Assert.Single(replies, r => r.Source == DhcpLab.ServerAddress);
        Assert.Equal((67, "198.18.1.1"), (reply.SourcePort, reply.Destination));
        DhcpMessage offer = Assert.IsType<DhcpMessage>(reply.Message);
        AssertProxyIdentity(offer);
        Assert.True(offer.TryGetOption(DhcpOptionCode.RelayAgentInformation, out ReadOnlyMemory<byte> echoed));
        Assert.Equal(agentInformation, echoed.ToArray());
    }

    /// <summary>A client that has its address (198.18.0.60) unicasts a REQUEST with a boot item to port 4011.</summary>
    private static async Task<DhcpMessage> BootServerExchangeAsync(NetworkLab lab, ushort arch)
    {
        LabHost bound = await lab.AddHostAsync("bound", "198.18.0.60/24");
        DhcpMessage request = PxeDiscover(bound.MacAddress, 0x5350_5001, arch);
        request.MessageType = DhcpMessageType.Request;
        request.BroadcastFlag = false;
        request.ClientIpAddress = IPAddress.Parse("198.18.0.60");
        byte[] bootItem = [0x80, 0x00, 0x00, 0x00];
        request.SetOption(DhcpOptionCode.VendorSpecific,
            new PxeVendorOptions().SetRaw(PxeVendorOptions.BootItemCode, bootItem).Build());

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(bound, new RawDhcpRequest
        {
            Datagrams = [request.ToArray()], Destination = DhcpLab.ServerAddress, DestinationPort = 4011,
            BindAddress = "198.18.0.60", SourcePort = 68, StopAfterReplies = 1,
        });

        RawDhcpReply reply = Assert.Single(replies);
        Assert.Equal((DhcpLab.ServerAddress, 4011, "198.18.0.60"), (reply.Source, reply.SourcePort, reply.Destination));
        DhcpMessage ack = Assert.IsType<DhcpMessage>(reply.Message);
        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        AssertProxyIdentity(ack);
        Assert.True(Vendor(ack).TryGet(PxeVendorOptions.BootItemCode, out ReadOnlyMemory<byte> item));
        Assert.Equal(bootItem, item.ToArray());
        return ack;
    }

    private async Task<(LabHost Client, LabProcess Proxy)> StartAsync(NetworkLab lab, bool bootServer)
    {
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost dhcp = await lab.AddHostAsync("dhcp", $"{DhcpServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        await DnsmasqRunner.StartAsync(dhcp, ["198.18.0.100,198.18.0.149,1h"]);
        string[] args =
        [
            "--dhcp-proxy", "--no-tftp", "--ipxe", "--netboot-dir", lab.CreateScratchDirectory("netboot"),
            "--state-dir", lab.CreateScratchDirectory("state"), "--verbose", "all", "--debug", "dhcp",
            .. bootServer ? new[] { "--dhcp-proxy-boot-server" } : [],
        ];
        LabProcess proxy = await DhcpLab.StartServerAsync(srv, args);
        await proxy.WaitForOutputAsync(l => l.Contains("PXE boot server listening", StringComparison.Ordinal),
            DhcpLab.StartTimeout);
        output.WriteLine($"proxy: {proxy.CommandLine}");
        return (cli, proxy);
    }

    private static DhcpMessage PxeDiscover(string mac, uint xid, ushort arch = 0)
    {
        DhcpMessage discover = DhcpLab.Discover(mac, xid,
            arch == 0 ? DhcpLab.BiosVendorClass : DhcpLab.UefiVendorClass, arch);
        discover.SetOption(DhcpOptionCode.ClientMachineId, s_machineId);
        return discover;
    }

    /// <summary>yiaddr 0, option 54 the proxy's address, 60 PXEClient, 97 echoed (PXE 2.1 §2.2).</summary>
    private static void AssertProxyIdentity(DhcpMessage reply)
    {
        Assert.Equal(IPAddress.Any, reply.YourIpAddress);
        Assert.True(reply.TryGetIPAddressOption(DhcpOptionCode.ServerIdentifier, out IPAddress? id));
        Assert.Equal(DhcpLab.ServerAddress, id.ToString());
        Assert.Equal("PXEClient", reply.VendorClassIdentifier);
        Assert.True(reply.TryGetOption(DhcpOptionCode.ClientMachineId, out ReadOnlyMemory<byte> machineId));
        Assert.Equal(s_machineId, machineId.ToArray());
        Assert.False(reply.HasOption(DhcpOptionCode.LeaseTime));
        Assert.False(reply.HasOption(DhcpOptionCode.SubnetMask));
    }

    private static PxeVendorOptions Vendor(DhcpMessage reply)
    {
        Assert.True(reply.TryGetOption(DhcpOptionCode.VendorSpecific, out ReadOnlyMemory<byte> value));
        Assert.True(PxeVendorOptions.TryParse(value.Span, out PxeVendorOptions? vendor));
        return vendor;
    }
}
