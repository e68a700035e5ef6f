using System.Net;
using SharpPxe.Boot;

namespace SharpPxe.Dhcp;

public sealed partial class DhcpService
{
    /// <summary>
    /// The boot server type SharpPXE lists and serves: the first vendor-specific type (PXE 2.1 specification,
    /// Table 2-3: 0x8000-0xFFFE). Not type 0: in a boot menu, type 0 means "boot from the local disk", and a client
    /// that picks it (edk2: "PXE-E21: Remote boot cancelled"; iPXE: on to the next device) never asks port 4011.
    /// </summary>
    internal const ushort BootServerType = 0x8000;

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
        BootRequest client = BootRequests.FromDhcp(request);
        BootDecision boot = PolicyFor(FileServerFor(server)).Decide(client);
        DhcpMessage offer = NewReply(request, DhcpMessageType.Offer, server);
        bool viaBootServer = WithholdsFile(_dhcp.ProxyBootServer, client, boot);
        AddProxyIdentity(offer, request, boot);
        var vendor = new PxeVendorOptions();
        if (viaBootServer)
        {
            // PXE 2.1 §2.2.5: no boot file, so the client asks the listed boot server on port 4011.
            vendor = BootServerDiscovery(server);
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
        string offered = viaBootServer ? "-" : boot.BootFile ?? "-";
        _timeline?.Step(request.ClientMacAddress!, "ProxyDHCP offer",
            $"file {offered} (rule {boot.Rule}{(viaBootServer ? ", file from the boot server on 4011" : "")})");
        DhcpLog.ProxyOffer(_logger, request.ClientMacAddress!, Arch(request), offered, boot.Rule,
            viaBootServer ? ", file from the boot server on 4011" : string.Empty);
        Deliver(r, request, offer, server);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether a ProxyDHCP offer leaves the boot file to the boot server on port 4011: only in boot-server mode
    /// (--dhcp-proxy-boot-server) and only for PXE firmware. A UEFI HTTP boot client knows no port 4011, and iPXE
    /// reads the file from the offer: given a boot menu instead, Debian's iPXE (1.0.0+git-20190125) prints
    /// "Booting from PXE menu", never asks port 4011 and gives up on the NIC (seen in the firmware matrix, row 5).
    /// </summary>
    internal static bool WithholdsFile(bool bootServerMode, BootRequest client, BootDecision boot)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(boot);
        return bootServerMode && !boot.HttpClient
            && !client.UserClasses.Contains(DhcpUserClass.Ipxe, StringComparer.Ordinal);
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

        _timeline?.Step(request.ClientMacAddress!, "PXE boot server ACK",
            $"file {boot.BootFile ?? "-"} (rule {boot.Rule})");
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

    /// <summary>
    /// Option 43 of an offer that withholds the boot file: discover only the listed boot server (no broadcast or
    /// multicast discovery), one server of <see cref="BootServerType"/> at <paramref name="server"/>, one menu
    /// item for it, and a prompt with timeout 0 so that the client takes that item at once (PXE 2.1 §2.4).
    /// </summary>
    internal static PxeVendorOptions BootServerDiscovery(IPAddress server) =>
        new PxeVendorOptions()
            .SetDiscoveryControl(PxeDiscoveryControl.DisableBroadcast | PxeDiscoveryControl.DisableMulticast
                | PxeDiscoveryControl.UseBootServerListOnly)
            .SetBootServers(BootServerType, server)
            .SetBootMenuItem(BootServerType, MenuText)
            .SetMenuPrompt(0, MenuText);
}
