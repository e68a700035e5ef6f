using System.Globalization;
using System.Net;
using SharpPxe.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests;

/// <summary>
/// Proves the namespace lab (<see cref="NetworkLab"/> and the client runners) with dnsmasq as the
/// reference DHCP server, so DHCP system tests can later run the same clients against SharpPXE.
/// </summary>
public class LabSelfTests(ITestOutputHelper output)
{
    private const string ServerAddress = "198.18.0.1";
    private const string BiosVendorClass = "PXEClient:Arch:00000:UNDI:002001";
    private const string UefiVendorClass = "PXEClient:Arch:00007:UNDI:003000";
    private static readonly string[] s_pool = ["198.18.0.100,198.18.0.199,1h"];

    /// <summary>Options and BIOS/UEFI classification like lab/dnsmasq-pxe.conf, without TFTP.</summary>
    private static readonly string[] s_pxeOptions =
    [
        $"--dhcp-option=3,{ServerAddress}",
        $"--dhcp-option=6,{ServerAddress}",
        $"--dhcp-option=66,{ServerAddress}",
        "--dhcp-match=set:efi64,option:client-arch,7",
        $"--dhcp-boot=tag:efi64,ipxe.efi,,{ServerAddress}",
        $"--dhcp-boot=tag:!efi64,undionly.kpxe,,{ServerAddress}",
    ];

    [LabFact("sleep", "sh")]
    public async Task DisposeAsync_LabsWithHostsAndProcesses_RemovesNamespacesAndEndsProcesses()
    {
        NetworkLab first = await NetworkLab.CreateAsync(log: output.WriteLine);
        NetworkLab second = await NetworkLab.CreateAsync();
        string[] names = [];
        int[] pids = [];
        try
        {
            LabHost server = await first.AddHostAsync("srv", $"{ServerAddress}/24");
            await first.AddRelayAsync("relay", "198.18.0.254/24", "198.18.1.1/24");
            LabHost twin = await second.AddHostAsync("srv", $"{ServerAddress}/24"); // same names, other lab

            LabProcess stopped = await server.StartAsync("sleep", ["60"]);
            LabProcess left = await server.StartAsync("sleep", ["61"]);
            LabProcess shell = await server.StartAsync("sh", ["-c", "sleep 62 >/dev/null 2>&1 & echo $!"]);
            Assert.Equal(0, await shell.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            pids = [left.Pid, int.Parse(shell.Lines[0].Text, CultureInfo.InvariantCulture)];

            // 'ip netns exec' execs the program: the PID we hold is sleep's own, inside the lab namespace.
            await WaitUntilAsync(() => ReadComm(stopped.Pid) == "sleep");
            Assert.Equal(server.Namespace, (await LabCommand.IpAsync("netns", "identify", Pid(stopped))).Trim());
            Assert.Equal(143, await stopped.StopAsync()); // 128 + SIGTERM
            Assert.NotEqual(first.Namespaces[1], twin.Namespace);
            Assert.All(pids, pid => Assert.True(LabCommand.IsAlive(pid)));

            names = [.. first.Namespaces, .. second.Namespaces];
            output.WriteLine($"namespaces: {string.Join(' ', names)}");
            Assert.Equal(5, names.Length);
            Assert.All(names, name => Assert.StartsWith(NetworkLab.NamePrefix, name, StringComparison.Ordinal));
            Assert.All(names, name => Assert.True(File.Exists($"/etc/netns/{name}/resolv.conf")));
            Assert.Empty((await server.RunAsync("ip", ["-6", "addr"])).Output.Trim());
        }
        finally
        {
            await Task.WhenAll(first.DisposeAsync().AsTask(), second.DisposeAsync().AsTask());
        }

        await first.DisposeAsync(); // idempotent
        IReadOnlyList<string> present = await NetworkLab.ListNamespacesAsync();
        Assert.Empty(names.Intersect(present));
        Assert.All(names, name => Assert.False(Directory.Exists($"/etc/netns/{name}")));
        Assert.False(Directory.Exists(first.TempDirectory));
        Assert.All(pids, pid => Assert.False(LabCommand.IsAlive(pid), $"pid {pid} still runs"));
    }

    [LabFact("dnsmasq", "dhclient")]
    public async Task Dhclient_PxeVendorClassAgainstDnsmasq_GetsLeaseWithRequestedOptions()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost server = await lab.AddHostAsync("srv", $"{ServerAddress}/24");
        LabHost client = await lab.AddHostAsync("cli", address: null);
        await using DnsmasqRunner dnsmasq = await DnsmasqRunner.StartAsync(server, s_pool, s_pxeOptions);
        await using var dhclient = new DhclientRunner(
            client, new DhclientOptions { VendorClass = BiosVendorClass, ConfigureAddress = true });

        ClientLease? lease = await dhclient.ObtainAsync();

        output.WriteLine($"lease: {lease}");
        Assert.True(lease is not null, $"no lease:\n{dhclient.Output}\n{dnsmasq.Process.OutputText}");
        AssertPxeLease(lease, "undionly.kpxe");
        Assert.Contains($"{lease.IpAddress}/24", await client.GetAddressesAsync());
        Assert.Contains(
            dnsmasq.Process.Lines,
            line => line.Text.EndsWith($"vendor class: {BiosVendorClass}", StringComparison.Ordinal));

        Assert.Equal(0, await dhclient.ReleaseAsync());
        await dnsmasq.Process.WaitForOutputAsync(
            line => line.Contains($"DHCPRELEASE(eth0) {lease.IpAddress}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
        Assert.Empty(await client.GetAddressesAsync());
        Assert.Null(dhclient.DaemonPid);
    }

    [LabFact("dnsmasq", "udhcpc")]
    public async Task Udhcpc_UefiPxeOptionsAgainstDnsmasq_GetsLeaseWithUefiBootFile()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost server = await lab.AddHostAsync("srv", $"{ServerAddress}/24");
        LabHost client = await lab.AddHostAsync("cli", address: null);
        await using DnsmasqRunner dnsmasq = await DnsmasqRunner.StartAsync(server, s_pool, s_pxeOptions);

        UdhcpcResult result = await UdhcpcRunner.RunAsync(
            client,
            new UdhcpcOptions { VendorClass = UefiVendorClass, SendOptions = ["0x5d:0007"], ConfigureAddress = true });

        output.WriteLine($"exit {result.ExitCode}, lease: {result.Lease}\n{result.Output}");
        Assert.True(result.ExitCode == 0 && result.Lease is not null, $"{result.Output}\n{dnsmasq.Process.OutputText}");
        AssertPxeLease(result.Lease, "ipxe.efi");
        Assert.Equal([$"{result.Lease.IpAddress}/24"], await client.GetAddressesAsync());
        Assert.Contains(
            dnsmasq.Process.Lines, line => line.Text.EndsWith(" tags: efi64, eth0", StringComparison.Ordinal));
    }

    [LabFact("dnsmasq")]
    public async Task RawDhcpClient_CraftedDiscover_GetsBroadcastOffer()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost server = await lab.AddHostAsync("srv", $"{ServerAddress}/24");
        LabHost client = await lab.AddHostAsync("cli", address: null, mac: "02:53:00:00:00:0c");
        await using DnsmasqRunner dnsmasq = await DnsmasqRunner.StartAsync(server, s_pool, s_pxeOptions);
        DhcpMessage discover = Discover(client.MacAddress, 0x5350_0001);
        discover.BroadcastFlag = true; // the namespace has no address yet, so only a broadcast reaches it

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.ExchangeAsync(client, discover);

        output.WriteLine($"replies: {string.Join("; ", replies)}");
        RawDhcpReply reply = Assert.Single(replies);
        Assert.Equal((ServerAddress, 67, "255.255.255.255"), (reply.Source, reply.SourcePort, reply.Destination));
        DhcpMessage offer = Assert.IsType<DhcpMessage>(reply.Message);
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal(BootpOp.BootReply, offer.Operation);
        Assert.Equal(discover.TransactionId, offer.TransactionId);
        Assert.Equal(client.MacAddress, offer.ClientMacAddress);
        Assert.StartsWith("198.18.0.1", offer.YourIpAddress.ToString(), StringComparison.Ordinal);
        Assert.True(offer.TryGetIPAddressOption(DhcpOptionCode.ServerIdentifier, out IPAddress? id));
        Assert.Equal(ServerAddress, id.ToString());
        Assert.True(offer.TryGetStringOption(DhcpOptionCode.BootfileName, out string? file));
        Assert.Equal("undionly.kpxe", file.TrimEnd('\0'));
    }

    [LabFact("dnsmasq")]
    public async Task RawDhcpClient_DiscoverRelayedWithGiaddr_GetsUnicastOfferAtRelay()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost server = await lab.AddHostAsync("srv", $"{ServerAddress}/24");
        LabHost relay = await lab.AddRelayAsync("relay", "198.18.0.254/24", "198.18.1.1/24");
        await server.AddRouteAsync("198.18.1.0/24", "198.18.0.254");
        await using DnsmasqRunner dnsmasq = await DnsmasqRunner.StartAsync(
            server, [.. s_pool, "198.18.1.100,198.18.1.199,255.255.255.0,1h"], s_pxeOptions);
        DhcpMessage discover = Discover("02:53:00:00:01:0c", 0x5350_0002);
        discover.RelayAgentIpAddress = IPAddress.Parse("198.18.1.1");
        discover.Hops = 1;

        IReadOnlyList<RawDhcpReply> replies = await RawDhcpClient.SendAsync(relay, new RawDhcpRequest
        {
            Datagrams = [discover.ToArray()],
            Destination = ServerAddress,
            BindAddress = "198.18.1.1",
            SourcePort = 67,
            Device = null,
        });

        output.WriteLine($"replies: {string.Join("; ", replies)}");
        RawDhcpReply reply = Assert.Single(replies);
        Assert.Equal((ServerAddress, 67, "198.18.1.1"), (reply.Source, reply.SourcePort, reply.Destination));
        DhcpMessage offer = Assert.IsType<DhcpMessage>(reply.Message);
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal("198.18.1.1", offer.RelayAgentIpAddress.ToString());
        Assert.StartsWith("198.18.1.1", offer.YourIpAddress.ToString(), StringComparison.Ordinal);
    }

    [LabFact("dnsmasq", "perfdhcp")]
    public async Task Perfdhcp_ThreeSecondsAt100PerSecond_CompletesNearlyEveryExchange()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost server = await lab.AddHostAsync("srv", $"{ServerAddress}/24");
        LabHost client = await lab.AddHostAsync("perf", "198.18.0.2/24");
        await using DnsmasqRunner dnsmasq = await DnsmasqRunner.StartAsync(server, ["198.18.0.10,198.18.0.250,1h"]);

        PerfdhcpResult result = await PerfdhcpRunner.RunAsync(
            client, new PerfdhcpOptions { Rate = 100, Seconds = 3, Clients = 200 });

        output.WriteLine(result.ToString());
        Assert.True(result.DiscoverOffer is not null && result.RequestAck is not null, result.Output);
        Assert.InRange(result.DiscoverOffer.Sent, 250, 300);
        Assert.True(result.Completion >= 0.95, result.ToString());
        Assert.InRange(result.Rate, 80, 110);
    }

    private static void AssertPxeLease(ClientLease lease, string bootFile)
    {
        Assert.StartsWith("198.18.0.1", lease.IpAddress, StringComparison.Ordinal);
        Assert.Equal("255.255.255.0", lease.SubnetMask);
        Assert.Equal(ServerAddress, lease.Routers);
        Assert.Equal(ServerAddress, lease.DnsServers);
        Assert.Equal(3600, lease.LeaseTime);
        Assert.Equal(ServerAddress, lease.ServerIdentifier);
        Assert.Equal(ServerAddress, lease.NextServer);
        Assert.Equal(ServerAddress, lease.TftpServerName);
        Assert.Equal(bootFile, lease.BootFile);
    }

    private static DhcpMessage Discover(string mac, uint transactionId)
    {
        var message = new DhcpMessage { TransactionId = transactionId, MessageType = DhcpMessageType.Discover };
        message.SetClientHardwareAddress(Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal)));
        message.SetOption(DhcpOptionCode.ParameterRequestList, [1, 3, 6, 51, 54, 66, 67]);
        message.SetStringOption(DhcpOptionCode.VendorClassIdentifier, BiosVendorClass);
        message.SetUInt16Option(DhcpOptionCode.ClientSystemArchitecture, 0);
        return message;
    }

    private static string Pid(LabProcess process) => process.Pid.ToString(CultureInfo.InvariantCulture);

    private static string ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
