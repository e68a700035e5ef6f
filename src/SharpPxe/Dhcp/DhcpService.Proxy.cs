using System.Net;
using SharpPxe.Boot;

namespace SharpPxe.Dhcp;

public sealed partial class DhcpService
{
    /// <summary>PXE boot server type 0: the PXE bootstrap server (PXE 2.1 specification, Table 2-3).</summary>
    private const ushort BootstrapServerType = 0;

    private const string MenuText = "SharpPXE";

    /// <summary>
    /// ProxyDHCP on port 67 (--dhcp-proxy): a PXE client's DHCPDISCOVER gets an offer with no address (yiaddr 0),
    /// only boot information, beside the network's own DHCP server. Every other message on port 67 belongs to
    /// that server: in particular a DHCPREQUEST is never acknowledged here (PyPXE did, and fought it).
    /// </summary>
    private Task HandleProxyAsync(Received r, DhcpMessage request)
    {
        if (!IsBootingClient(request))
        {
            Ignore(request, "NotPxeClient", "not a PXE or HTTP boot client");
            return Task.CompletedTask;
        }

        if (request.MessageType != DhcpMessageType.Discover)
        {
            Ignore(request, "NotOurs", $"{request.MessageType} on port 67 is for the network's DHCP server");
            return Task.CompletedTask;
        }

        if (_dhcp.Whitelist && !_bindings.ContainsKey(request.ClientMacAddress!))
        {
            Ignore(request, "NotWhitelisted", "not in the static-binding file (--dhcp-whitelist)");
            return Task.CompletedTask;
        }

        IPAddress server = ServerAddressFor(r);
        BootDecision boot = PolicyFor(FileServerFor(server)).Decide(BootRequests.FromDhcp(request));
        DhcpMessage offer = NewReply(request, DhcpMessageType.Offer, server);
        bool viaBootServer = _dhcp.ProxyBootServer && !boot.HttpClient;
        AddProxyIdentity(offer, request, boot);
        var vendor = new PxeVendorOptions();
        if (viaBootServer)
        {
            // PXE 2.1 §2.2.5: no boot file, so the client asks the listed boot server on port 4011.
            vendor.SetDiscoveryControl(PxeDiscoveryControl.DisableBroadcast | PxeDiscoveryControl.DisableMulticast
                | PxeDiscoveryControl.UseBootServerListOnly);
            vendor.SetRaw(PxeVendorOptions.BootServersCode, BootServerList(server));
            vendor.SetRaw(PxeVendorOptions.BootMenuCode, BootMenu());
            vendor.SetMenuPrompt(0, MenuText);
            offer.NextServerIpAddress = FileServerFor(server);
        }
        else
        {
            // PyPXE's and smee's way: the offer names the file and the client skips discovery (bit 3).
            vendor.SetDiscoveryControl(PxeDiscoveryControl.DownloadBootFile);
            AddBootFile(offer, boot);
            if (boot.BootFile is { } file)
            {
                offer.SetStringOption(DhcpOptionCode.BootfileName, file);
            }
        }

        offer.SetOption(DhcpOptionCode.VendorSpecific, vendor.Build());
        EchoRelayAgentInformation(offer, request);
        _timeline?.Step(
            request.ClientMacAddress!, "ProxyDHCP offer", $"file {boot.BootFile ?? "-"} (rule {boot.Rule})");
        string offered = viaBootServer ? "-" : boot.BootFile ?? "-";
        DhcpLog.ProxyOffer(_logger, request.ClientMacAddress!, Arch(request), offered, boot.Rule,
            viaBootServer ? ", file from the boot server on 4011" : string.Empty);
        Deliver(r, request, offer, server);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The PXE boot server on port 4011: a client that already has its address unicasts a DHCPREQUEST (or
    /// DHCPINFORM) and gets a DHCPACK with the boot file, sent back to where the request came from.
    /// </summary>
    private Task HandleBootServerAsync(Received r, DhcpMessage request)
    {
        // Only PXE clients know this port: a REQUEST here is answered even without option 60.
        if (request.MessageType is not (DhcpMessageType.Request or DhcpMessageType.Inform))
        {
            Ignore(request, "UnexpectedMessageType", $"{request.MessageType} on the boot server port");
            return Task.CompletedTask;
        }

        if (_dhcp.Whitelist && !_bindings.ContainsKey(request.ClientMacAddress!))
        {
            Ignore(request, "NotWhitelisted", "not in the static-binding file (--dhcp-whitelist)");
            return Task.CompletedTask;
        }

        IPAddress server = ServerAddressFor(r);
        BootDecision boot = PolicyFor(FileServerFor(server)).Decide(BootRequests.FromDhcp(request));
        DhcpMessage ack = NewReply(request, DhcpMessageType.Ack, server);
        ack.ClientIpAddress = request.ClientIpAddress;
        AddProxyIdentity(ack, request, boot);
        AddBootFile(ack, boot);
        if (boot.BootFile is { } file)
        {
            ack.SetStringOption(DhcpOptionCode.BootfileName, file);
        }

        var vendor = new PxeVendorOptions();
        if (request.TryGetOption(DhcpOptionCode.VendorSpecific, out ReadOnlyMemory<byte> asked)
            && PxeVendorOptions.TryParse(asked.Span, out PxeVendorOptions? askedOptions)
            && askedOptions.TryGet(PxeVendorOptions.BootItemCode, out ReadOnlyMemory<byte> item))
        {
            // PXE 2.1 §2.2.6: the ACK names the boot item (type and layer) the client asked for.
            vendor.SetRaw(PxeVendorOptions.BootItemCode, item.Span);
        }
        else
        {
            vendor.SetDiscoveryControl(PxeDiscoveryControl.DownloadBootFile);
        }

        ack.SetOption(DhcpOptionCode.VendorSpecific, vendor.Build());
        if (!ack.TryToArray(MaxReplySize(request), out byte[]? datagram))
        {
            _counters.CountDrop("ReplyTooLarge");
            DhcpLog.SendFailed(_logger, ack.MessageType, request.ClientMacAddress!, r.Remote,
                "the reply is too large");
            return Task.CompletedTask;
        }

        DhcpLog.BootServerAck(_logger, request.ClientMacAddress!, Arch(request), boot.BootFile ?? "-", boot.Rule,
            r.Remote);
        Send(r, datagram, r.Remote, r.InterfaceIndex, server, DhcpMessageType.Ack, request.ClientMacAddress!);
        return Task.CompletedTask;
    }

    /// <summary>Option 60 (PXEClient, or HTTPClient for HTTP boot) and option 97 echoed (PXE 2.1 §2.2.3).</summary>
    private static void AddProxyIdentity(DhcpMessage reply, DhcpMessage request, BootDecision boot)
    {
        reply.SetStringOption(DhcpOptionCode.VendorClassIdentifier,
            boot.HttpClient ? BootContext.HttpClientVendorClass : PxeClientVendorClass);
        if (request.TryGetOption(DhcpOptionCode.ClientMachineId, out ReadOnlyMemory<byte> machineId))
        {
            reply.SetOption(DhcpOptionCode.ClientMachineId, machineId.Span);
        }
    }

    /// <summary>PXE_BOOT_SERVERS: one bootstrap server (type 0) at <paramref name="server"/>.</summary>
    private static byte[] BootServerList(IPAddress server)
    {
        byte[] list = new byte[2 + 1 + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(list, BootstrapServerType);
        list[2] = 1;
        server.TryWriteBytes(list.AsSpan(3), out _);
        return list;
    }

    /// <summary>PXE_BOOT_MENU: one item for the bootstrap server, labelled SharpPXE.</summary>
    private static byte[] BootMenu()
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes(MenuText);
        byte[] menu = new byte[3 + text.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(menu, BootstrapServerType);
        menu[2] = (byte)text.Length;
        text.CopyTo(menu, 3);
        return menu;
    }
}
