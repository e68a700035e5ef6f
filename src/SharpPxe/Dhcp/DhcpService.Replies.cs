using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpPxe.Boot;
using SharpPxe.Config;
using SharpPxe.Net;

namespace SharpPxe.Dhcp;

public sealed partial class DhcpService
{
    /// <summary>IP (20) and UDP (8) headers: option 57 counts them, the DHCP message does not.</summary>
    private const int IpUdpHeaders = 28;

    /// <summary>RFC 2131 §2: a client takes at least a 312-octet options field, so 548 bytes of message.</summary>
    private const int MinimumClientMessage = 548;

    /// <summary>The largest reply that fits an Ethernet frame without fragments.</summary>
    private const int EthernetMessageLimit = 1500 - IpUdpHeaders;

    /// <summary>Options a client gets when it sent no parameter request list, in this order.</summary>
    private static readonly DhcpOptionCode[] s_defaultParameters =
    [
        DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer,
        DhcpOptionCode.TftpServerName, DhcpOptionCode.BootfileName,
    ];

    /// <summary>The address this server speaks as (option 54) for the request <paramref name="r"/>.</summary>
    private IPAddress ServerAddressFor(Received r)
    {
        // PyPXE's meaning: --dhcp-server-ip names option 54 when it is given.
        if (_options.IsExplicit("dhcp.serverIp"))
        {
            return _dhcp.ServerIp;
        }

        if (_interfaces.Find(r.InterfaceIndex) is { } arrival)
        {
            return arrival.Address;
        }

        return IsUnicast(r.LocalAddress) ? r.LocalAddress : _dhcp.ServerIp;
    }

    private IPAddress FileServerFor(IPAddress serverAddress) =>
        _options.IsExplicit("dhcp.fileServer") ? _dhcp.FileServer : serverAddress;

    /// <summary>The boot policy that names <paramref name="fileServer"/> in URLs and siaddr.</summary>
    private BootPolicy PolicyFor(IPAddress fileServer) => _policies.GetOrAdd(fileServer, server =>
    {
        SharpPxeOptions variant = ConfigJson.Clone(_options);
        variant.Dhcp.FileServer = server;
        return new BootPolicy(variant, _bindings, BootPolicy.NetbootDirectoryProbe(_options.NetbootDir));
    });

    /// <summary>A reply with the fields RFC 2131 §4.3.1 Table 3 copies from the request.</summary>
    private static DhcpMessage NewReply(DhcpMessage request, DhcpMessageType type, IPAddress serverAddress)
    {
        var reply = new DhcpMessage
        {
            Operation = BootpOp.BootReply,
            TransactionId = request.TransactionId,
            Flags = request.Flags,
            RelayAgentIpAddress = request.RelayAgentIpAddress,
        };
        reply.SetClientHardwareAddress(request.ClientHardwareAddress, request.HardwareType);
        reply.MessageType = type;
        reply.SetIPAddressOption(DhcpOptionCode.ServerIdentifier, serverAddress);
        return reply;
    }

    /// <summary>
    /// Puts the boot file in the file field and option 67 (no trailing NUL), siaddr, and the extra options a
    /// configured rule sets.
    /// </summary>
    private static void AddBootFile(DhcpMessage reply, BootDecision decision)
    {
        reply.NextServerIpAddress = decision.NextServer;
        foreach ((byte code, byte[] value) in decision.ExtraOptions)
        {
            reply.SetOption((DhcpOptionCode)code, value);
        }

        if (decision.BootFile is { } file && Encoding.UTF8.GetByteCount(file) < DhcpMessage.BootFileFieldLength)
        {
            reply.BootFileName = file;
        }
    }

    /// <summary>
    /// Adds the configuration options the client asked for in option 55, in its order (RFC 2132 §9.8), or a
    /// default set when it asked for none. The boot file (67) always goes to a booting client.
    /// </summary>
    private void AddParameters(DhcpMessage reply, DhcpMessage request, StaticBinding? binding, BootDecision? boot)
    {
        IReadOnlyList<DhcpOptionCode> asked = request.GetParameterRequestList();
        IEnumerable<DhcpOptionCode> order = asked.Count > 0 ? asked : s_defaultParameters;
        foreach (DhcpOptionCode code in order)
        {
            AddParameter(reply, code, binding, boot);
        }

        if (boot?.BootFile is not null && !reply.HasOption(DhcpOptionCode.BootfileName))
        {
            AddParameter(reply, DhcpOptionCode.BootfileName, binding, boot);
        }

        if (boot?.HttpClient == true)
        {
            // UEFI HTTP boot: the reply names itself HTTPClient (UEFI 2.x, "HTTP Boot").
            reply.SetStringOption(DhcpOptionCode.VendorClassIdentifier, BootContext.HttpClientVendorClass);
        }
    }

    private void AddParameter(DhcpMessage reply, DhcpOptionCode code, StaticBinding? binding, BootDecision? boot)
    {
        switch (code)
        {
            case DhcpOptionCode.SubnetMask:
                reply.SetIPAddressOption(code, binding?.Subnet ?? _dhcp.Subnet);
                break;
            case DhcpOptionCode.Router:
                reply.SetIPAddressOption(code, binding?.Router ?? _dhcp.Router);
                break;
            case DhcpOptionCode.DomainNameServer:
                IReadOnlyList<IPAddress> dns = binding is { Dns.Count: > 0 } ? binding.Dns : _dhcp.Dns;
                if (dns.Count > 0)
                {
                    reply.SetIPAddressListOption(code, dns);
                }

                break;
            case DhcpOptionCode.TftpServerName when boot is not null:
                reply.SetStringOption(code, boot.NextServer.ToString());
                break;
            case DhcpOptionCode.BootfileName when boot?.BootFile is not null:
                reply.SetStringOption(code, boot.BootFile);
                break;
            default:
                break;
        }
    }

    /// <summary>RFC 3046 §2.2: the relay agent information comes back unchanged, as the last option.</summary>
    private static void EchoRelayAgentInformation(DhcpMessage reply, DhcpMessage request)
    {
        if (request.TryGetOption(DhcpOptionCode.RelayAgentInformation, out ReadOnlyMemory<byte> value))
        {
            reply.SetOption(DhcpOptionCode.RelayAgentInformation, value.Span);
        }
    }

    /// <summary>
    /// Sends a reply where RFC 2131 §4.1 says it goes: to the relay (giaddr) on the server port; to ciaddr; to
    /// the broadcast address when the client asked for it (or cannot take a unicast yet); else to yiaddr at
    /// chaddr, with the neighbour entry put in place first. It leaves by the interface the request came in on.
    /// </summary>
    private void Deliver(Received r, DhcpMessage request, DhcpMessage reply, IPAddress serverAddress)
    {
        bool isNak = reply.MessageType == DhcpMessageType.Nak;
        if (!reply.TryToArray(MaxReplySize(request), out byte[]? datagram))
        {
            _counters.CountDrop("ReplyTooLarge");
            DhcpLog.SendFailed(_logger, reply.MessageType, request.ClientMacAddress!, r.Remote,
                "the reply is too large");
            return;
        }

        IPEndPoint destination;
        int interfaceIndex = r.InterfaceIndex;
        IPAddress broadcast = _dhcp.Broadcast ?? IPAddress.Broadcast;
        if (!request.RelayAgentIpAddress.Equals(IPAddress.Any))
        {
            // RFC 2131 §4.1: through a relay, to its server port; a DHCPNAK asks the relay to broadcast.
            destination = new IPEndPoint(request.RelayAgentIpAddress, _dhcp.ServerPort);
            interfaceIndex = 0;
            if (isNak)
            {
                reply.BroadcastFlag = true;
                datagram = reply.ToArray();
            }
        }
        else if (isNak)
        {
            // RFC 2131 §4.1: a DHCPNAK to a client on the link is broadcast.
            destination = new IPEndPoint(broadcast, ClientPort);
        }
        else if (!request.ClientIpAddress.Equals(IPAddress.Any))
        {
            destination = new IPEndPoint(request.ClientIpAddress, ClientPort);
        }
        else if (request.BroadcastFlag || reply.YourIpAddress.Equals(IPAddress.Any))
        {
            destination = new IPEndPoint(broadcast, ClientPort);
        }
        else if (CanUnicast(r, reply.YourIpAddress, request))
        {
            destination = new IPEndPoint(reply.YourIpAddress, ClientPort);
        }
        else
        {
            destination = new IPEndPoint(broadcast, ClientPort);
        }

        Send(r, datagram, destination, interfaceIndex, serverAddress, reply.MessageType, request.ClientMacAddress!);
    }

    /// <summary>
    /// The largest reply the client takes: option 57 less the IP and UDP headers (RFC 2132 §9.10), never below
    /// 548 bytes (RFC 2131 §2) nor above one Ethernet frame.
    /// </summary>
    private static int MaxReplySize(DhcpMessage request) =>
        request.TryGetUInt16Option(DhcpOptionCode.MaxMessageSize, out ushort clientMax)
            ? Math.Clamp(clientMax - IpUdpHeaders, MinimumClientMessage, EthernetMessageLimit)
            : MinimumClientMessage;

    /// <summary>Puts yiaddr → chaddr in the neighbour table of the arrival interface (needs CAP_NET_ADMIN).</summary>
    private bool CanUnicast(Received r, IPAddress yourAddress, DhcpMessage request)
    {
        LocalInterface? arrival = _interfaces.Find(r.InterfaceIndex);
        if (arrival is null || !LinuxSockets.IsSupported)
        {
            return false;
        }

        if (LinuxSockets.SetNeighbour(r.Socket, yourAddress, request.ClientHardwareAddress, arrival.Name))
        {
            return true;
        }

        DhcpLog.NeighbourNotSet(_logger, request.ClientMacAddress!, yourAddress, arrival.Name);
        return false;
    }

    private void Send(
        Received r, byte[] datagram, IPEndPoint destination, int interfaceIndex, IPAddress source,
        DhcpMessageType type, string mac)
    {
        try
        {
            IPAddress? sourceAddress = _interfaces.All.Any(i => i.Address.Equals(source)) ? source : null;
            bool sent = LinuxSockets.IsSupported
                ? LinuxSockets.SendTo(r.Socket, datagram, destination, interfaceIndex, sourceAddress)
                : r.Socket.SendTo(datagram, destination) == datagram.Length;
            if (!sent)
            {
                _counters.CountDrop("SendBufferFull");
                DhcpLog.SendFailed(_logger, type, mac, destination, "the socket's send buffer is full");
                return;
            }

            _counters.CountReply();
            DhcpLog.ReplySent(_logger, type, mac, destination, interfaceIndex, sourceAddress ?? IPAddress.Any);
        }
        catch (SocketException ex)
        {
            _counters.CountDrop("SendFailed");
            DhcpLog.SendFailed(_logger, type, mac, destination, ex.Message);
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private static bool IsUnicast(IPAddress address) =>
        !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.Broadcast)
        && address.GetAddressBytes()[3] != byte.MaxValue;
}
