using System.Net;
using SharpPxe.Dhcp;
using SharpPxe.SystemTests.Lab;

namespace SharpPxe.SystemTests.Dhcp;

/// <summary>Shared pieces of the DHCP system tests: the server's command line and crafted client messages.</summary>
internal static class DhcpLab
{
    public const string ServerAddress = "198.18.0.1";
    public const string PoolBegin = "198.18.0.100";
    public const string PoolEnd = "198.18.0.149";
    public const string Router = "198.18.0.1";
    public const string Dns = "198.18.0.53";
    public const string BiosVendorClass = "PXEClient:Arch:00000:UNDI:002001";
    public const string UefiVendorClass = "PXEClient:Arch:00007:UNDI:003000";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts sharppxe in <paramref name="host"/>'s namespace and waits until it serves.</summary>
    public static async Task<LabProcess> StartServerAsync(LabHost host, IEnumerable<string> args)
    {
        LabProcess server = await host.StartAsync(SharpPxeBinary.Path, args);
        // The host's own line ("SharpPXE VERSION serving dhcp, tftp, http") comes once every service has started;
        // each service's "listening on ..., serving DIR" comes as that one starts, possibly before HTTP is up.
        await server.WaitForOutputAsync(
            l => l.Contains("SharpPXE ", StringComparison.Ordinal) && l.Contains(" serving ", StringComparison.Ordinal),
            StartTimeout);
        return server;
    }

    /// <summary>The full server's flags: a pool of 50 on the lab subnet, state in a scratch directory.</summary>
    public static string[] FullServerArgs(NetworkLab lab, string stateDir, params string[] extra) =>
        PoolServerArgs(lab, stateDir, PoolEnd, extra);

    /// <summary>The full server's flags, the pool ending at <paramref name="poolEnd"/>.</summary>
    public static string[] PoolServerArgs(NetworkLab lab, string stateDir, string poolEnd, params string[] extra) =>
    [
        "--dhcp", "--no-tftp", "--ipxe",
        "--dhcp-begin", PoolBegin, "--dhcp-end", poolEnd,
        "--dhcp-router", Router, "--dhcp-dns", Dns, "--dhcp-lease-time", "3600",
        "--netboot-dir", lab.CreateScratchDirectory("netboot"), "--state-dir", stateDir,
        "--verbose", "all", "--debug", "dhcp",
        .. extra,
    ];

    public static DhcpMessage Discover(string mac, uint xid, string vendorClass = BiosVendorClass, ushort arch = 0)
    {
        var message = new DhcpMessage
        {
            TransactionId = xid, MessageType = DhcpMessageType.Discover, BroadcastFlag = true,
        };
        message.SetClientHardwareAddress(MacBytes(mac));
        message.SetOption(DhcpOptionCode.ParameterRequestList, [1, 3, 6, 51, 54, 66, 67]);
        message.SetStringOption(DhcpOptionCode.VendorClassIdentifier, vendorClass);
        message.SetUInt16Option(DhcpOptionCode.ClientSystemArchitecture, arch);
        return message;
    }

    /// <summary>A SELECTING-state REQUEST for <paramref name="address"/> from <paramref name="server"/>.</summary>
    public static DhcpMessage Request(string mac, uint xid, IPAddress address, IPAddress server)
    {
        DhcpMessage message = Discover(mac, xid);
        message.MessageType = DhcpMessageType.Request;
        message.SetIPAddressOption(DhcpOptionCode.RequestedIpAddress, address);
        message.SetIPAddressOption(DhcpOptionCode.ServerIdentifier, server);
        return message;
    }

    public static byte[] MacBytes(string mac) => Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal));

    /// <summary>Client number <paramref name="n"/>'s MAC: 02:53:00:00:xx:yy.</summary>
    public static string Mac(int n) => $"02:53:00:00:{n >> 8:x2}:{n & 0xff:x2}";

    /// <summary>The replies of one kind, parsed, from one source address.</summary>
    public static List<DhcpMessage> From(IEnumerable<RawDhcpReply> replies, string source, DhcpMessageType type) =>
        [.. replies.Where(r => r.Source == source).Select(r => r.Message).OfType<DhcpMessage>()
            .Where(m => m.MessageType == type)];
}
