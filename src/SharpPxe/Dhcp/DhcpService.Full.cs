using System.Net;
using SharpPxe.Boot;
using SharpPxe.Config;
using SharpPxe.Leases;

namespace SharpPxe.Dhcp;

public sealed partial class DhcpService
{
    private const string PxeClientVendorClass = "PXEClient";

    /// <summary>The full server (--dhcp): RFC 2131 §4.3.</summary>
    private async Task HandleFullAsync(Received r, DhcpMessage request, CancellationToken cancellationToken)
    {
        string mac = request.ClientMacAddress!;
        bool booting = IsBootingClient(request);
        if (!booting && !_dhcp.ServeAll)
        {
            // PyPXE served PXEClient only; SharpPXE adds HTTPClient, and --dhcp-serve-all serves everybody.
            Ignore(request, "NotPxeClient", "not a PXE or HTTP boot client (--dhcp-serve-all serves every client)");
            return;
        }

        StaticBinding? binding = _bindings.GetValueOrDefault(mac);
        if (_dhcp.Whitelist && binding is null)
        {
            Ignore(request, "NotWhitelisted", "not in the static-binding file (--dhcp-whitelist)");
            return;
        }

        if (!request.RelayAgentIpAddress.Equals(IPAddress.Any) && !IsPoolSubnet(request.RelayAgentIpAddress))
        {
            // RFC 2131 §4.3.1: a relayed client gets an address from giaddr's subnet; this pool is not one.
            Ignore(request, "NoPoolForRelay", $"no pool for the relay's subnet ({request.RelayAgentIpAddress})");
            return;
        }

        string clientKey = ClientKeyOf(request);
        IPAddress server = ServerAddressFor(r);
        switch (request.MessageType)
        {
            case DhcpMessageType.Discover:
                Discover(r, request, clientKey, binding, booting, server);
                break;
            case DhcpMessageType.Request:
                await RequestAsync(r, request, clientKey, binding, booting, server, cancellationToken)
                    .ConfigureAwait(false);
                break;
            case DhcpMessageType.Decline:
                await DeclineAsync(request, clientKey, server, cancellationToken).ConfigureAwait(false);
                break;
            case DhcpMessageType.Release:
                await ReleaseAsync(request, clientKey, server, cancellationToken).ConfigureAwait(false);
                break;
            case DhcpMessageType.Inform:
                Inform(r, request, binding, booting, server);
                break;
            default:
                Ignore(request, "UnexpectedMessageType", "not a message a client sends to a server");
                break;
        }
    }

    /// <summary>RFC 2131 §4.3.1: DHCPDISCOVER → DHCPOFFER, the address held for the client for a while.</summary>
    private void Discover(
        Received r, DhcpMessage request, string clientKey, StaticBinding? binding, bool booting, IPAddress server)
    {
        string mac = request.ClientMacAddress!;
        IPAddress? address = binding?.Address;
        if (address is null)
        {
            request.TryGetIPAddressOption(DhcpOptionCode.RequestedIpAddress, out IPAddress? requested);
            address = _leases!.Offer(clientKey, mac, requested);
        }

        if (address is null)
        {
            // Logged once until an address frees; the client hears nothing (RFC 2131 §4.3.1 leaves it to us).
            _counters.CountDrop("PoolExhausted");
            DhcpLog.Ignored(_logger, request.MessageType, mac, "no free address in the pool");
            if (Interlocked.Exchange(ref _exhaustionLogged, 1) == 0)
            {
                DhcpLog.PoolExhausted(_logger, _dhcp.Begin, _dhcp.End, mac);
            }

            return;
        }

        if (_leases!.FreeCount > 0)
        {
            // The warning comes again only after the pool had room once more.
            Volatile.Write(ref _exhaustionLogged, 0);
        }
        DhcpMessage offer = NewReply(request, DhcpMessageType.Offer, server);
        offer.YourIpAddress = address;
        BootDecision? boot = booting ? PolicyFor(FileServerFor(server)).Decide(BootRequests.FromDhcp(request)) : null;
        AddLeaseTimes(offer);
        if (boot is not null)
        {
            AddBootFile(offer, boot);
        }

        AddParameters(offer, request, binding, boot);
        EchoRelayAgentInformation(offer, request);
        DhcpLog.Offer(_logger, mac, Arch(request), address, boot?.BootFile ?? "-", boot?.Rule ?? "none",
            request.TransactionId);
        Deliver(r, request, offer, server);
    }

    /// <summary>RFC 2131 §4.3.2: DHCPREQUEST in SELECTING, INIT-REBOOT, RENEWING or REBINDING state.</summary>
    private async Task RequestAsync(
        Received r, DhcpMessage request, string clientKey, StaticBinding? binding, bool booting, IPAddress server,
        CancellationToken cancellationToken)
    {
        string mac = request.ClientMacAddress!;
        bool hasServerId = request.TryGetIPAddressOption(DhcpOptionCode.ServerIdentifier, out IPAddress? chosen);
        bool hasRequested = request.TryGetIPAddressOption(DhcpOptionCode.RequestedIpAddress, out IPAddress? requested);
        IPAddress address;
        string state;
        if (hasServerId)
        {
            // SELECTING: the client answers one server's offer; the others forget theirs.
            if (!chosen!.Equals(server))
            {
                _leases?.CancelOffer(clientKey);
                Ignore(request, "OtherServer", $"the client chose server {chosen}");
                return;
            }

            if (!hasRequested)
            {
                Ignore(request, "NoRequestedAddress", "SELECTING without option 50 (RFC 2131 §4.3.2)");
                return;
            }

            address = requested!;
            state = "selecting";
        }
        else if (hasRequested && request.ClientIpAddress.Equals(IPAddress.Any))
        {
            // INIT-REBOOT: NAK an address that is wrong for this network; stay silent for a client we don't know.
            address = requested!;
            state = "init-reboot";
            Lease? current = _leases!.FindByClient(clientKey);
            bool known = binding?.Address is not null || current is not null;
            if (!known && _leases.IsInPool(address) && _leases.FindByAddress(address) is null)
            {
                Ignore(request, "UnknownClient", "INIT-REBOOT from a client with no lease here (RFC 2131 §4.3.2)");
                return;
            }

            if (current is not null && !current.Address.Equals(address) && current.State == LeaseState.Bound)
            {
                // RFC 2131 §4.3.2: the client's notion of its address is incorrect.
                SendNak(r, request, server, address, $"this client's address is {current.Address}");
                return;
            }
        }
        else if (!request.ClientIpAddress.Equals(IPAddress.Any))
        {
            // RENEWING (unicast to us) or REBINDING (broadcast): the client's address is ciaddr.
            address = request.ClientIpAddress;
            state = IsUnicast(r.LocalAddress) ? "renewing" : "rebinding";
        }
        else
        {
            Ignore(request, "MalformedRequest", "no server identifier, requested address or ciaddr");
            return;
        }

        string? refusal = await TryBindAsync(request, clientKey, binding, address, cancellationToken)
            .ConfigureAwait(false);
        if (refusal is not null)
        {
            if (state == "rebinding" && !_leases!.IsInPool(address))
            {
                Ignore(request, "NotOurs", "REBINDING for an address outside our pool");
                return;
            }

            SendNak(r, request, server, address, refusal);
            return;
        }

        DhcpMessage ack = NewReply(request, DhcpMessageType.Ack, server);
        ack.ClientIpAddress = request.ClientIpAddress;
        ack.YourIpAddress = address;
        BootDecision? boot = booting ? PolicyFor(FileServerFor(server)).Decide(BootRequests.FromDhcp(request)) : null;
        AddLeaseTimes(ack);
        if (boot is not null)
        {
            AddBootFile(ack, boot);
        }

        AddParameters(ack, request, binding, boot);
        EchoRelayAgentInformation(ack, request);
        DhcpLog.Ack(_logger, mac, Arch(request), address, _dhcp.LeaseTime, boot?.BootFile ?? "-", boot?.Rule ?? "none",
            state);
        _timeline?.Step(mac, "DHCPACK", $"{address}, file {boot?.BootFile ?? "-"} (rule {boot?.Rule ?? "none"})");
        request.TryGetStringOption(DhcpOptionCode.HostName, out string? hostName);
        _machines?.Record(new MachineInfo(mac, address,
            request.ClientSystemArchitecture ?? BootRequests.ArchitectureFromVendorClass(request.VendorClassIdentifier),
            hostName));
        Deliver(r, request, ack, server);
    }

    /// <summary>Binds <paramref name="address"/> to the client, durably; returns why not, or null when bound.</summary>
    private async Task<string?> TryBindAsync(
        DhcpMessage request, string clientKey, StaticBinding? binding, IPAddress address,
        CancellationToken cancellationToken)
    {
        if (binding?.Address is { } fixedAddress)
        {
            return fixedAddress.Equals(address) ? null : $"this machine's static address is {fixedAddress}";
        }

        if (!_leases!.IsInPool(address))
        {
            return "the address is not in this server's pool";
        }

        request.TryGetStringOption(DhcpOptionCode.HostName, out string? hostName);
        Lease? lease = await _leases.CommitAsync(clientKey, request.ClientMacAddress!, address, hostName,
            cancellationToken).ConfigureAwait(false);
        return lease is null ? "the address belongs to another client" : null;
    }

    private void SendNak(Received r, DhcpMessage request, IPAddress server, IPAddress address, string reason)
    {
        // RFC 2131 §4.3.2 and Table 3: no yiaddr, no lease, no boot file; option 56 says why.
        DhcpMessage nak = NewReply(request, DhcpMessageType.Nak, server);
        nak.SetStringOption(DhcpOptionCode.Message, reason);
        EchoRelayAgentInformation(nak, request);
        DhcpLog.Nak(_logger, request.ClientMacAddress!, address, reason);
        Deliver(r, request, nak, server);
    }

    /// <summary>RFC 2131 §4.3.3: the client found the address in use; nobody gets it for a while.</summary>
    private async Task DeclineAsync(DhcpMessage request, string clientKey, IPAddress server, CancellationToken token)
    {
        if (request.TryGetIPAddressOption(DhcpOptionCode.ServerIdentifier, out IPAddress? chosen)
            && !chosen.Equals(server))
        {
            Ignore(request, "OtherServer", $"DECLINE for server {chosen}");
            return;
        }

        if (!request.TryGetIPAddressOption(DhcpOptionCode.RequestedIpAddress, out IPAddress? address)
            || !_leases!.IsInPool(address))
        {
            Ignore(request, "MalformedDecline", "no requested address of our pool");
            return;
        }

        if (!await _leases.DeclineAsync(clientKey, address, token).ConfigureAwait(false))
        {
            Ignore(request, "DeclineRefused", $"{address} was not offered or leased to this client (RFC 2131 §4.3.3)");
            return;
        }

        DhcpLog.Declined(_logger, request.ClientMacAddress!, address, _dhcp.DeclineTime);
    }

    /// <summary>RFC 2131 §4.3.4: the client gives its address back.</summary>
    private async Task ReleaseAsync(DhcpMessage request, string clientKey, IPAddress server, CancellationToken token)
    {
        if (request.TryGetIPAddressOption(DhcpOptionCode.ServerIdentifier, out IPAddress? chosen)
            && !chosen.Equals(server))
        {
            Ignore(request, "OtherServer", $"RELEASE for server {chosen}");
            return;
        }

        if (!await _leases!.ReleaseAsync(clientKey, request.ClientIpAddress, token).ConfigureAwait(false))
        {
            Ignore(request, "ReleaseRefused", $"{request.ClientIpAddress} is not leased to this client");
            return;
        }

        DhcpLog.Released(_logger, request.ClientMacAddress!, request.ClientIpAddress);
    }

    /// <summary>RFC 2131 §4.3.5: configuration without an address: an ACK with no yiaddr and no lease time.</summary>
    private void Inform(Received r, DhcpMessage request, StaticBinding? binding, bool booting, IPAddress server)
    {
        DhcpMessage ack = NewReply(request, DhcpMessageType.Ack, server);
        ack.ClientIpAddress = request.ClientIpAddress;
        BootDecision? boot = booting ? PolicyFor(FileServerFor(server)).Decide(BootRequests.FromDhcp(request)) : null;
        if (boot is not null)
        {
            AddBootFile(ack, boot);
        }

        AddParameters(ack, request, binding, boot);
        EchoRelayAgentInformation(ack, request);
        DhcpLog.Informed(_logger, request.ClientMacAddress!, request.ClientIpAddress);
        Deliver(r, request, ack, server);
    }

    private void AddLeaseTimes(DhcpMessage reply)
    {
        // RFC 2131 §4.3.1 and §4.4.5: lease time, T1 and T2.
        reply.SetUInt32Option(DhcpOptionCode.LeaseTime, (uint)_dhcp.LeaseTime);
        reply.SetUInt32Option(DhcpOptionCode.RenewalTime, (uint)_dhcp.EffectiveRenewalTime);
        reply.SetUInt32Option(DhcpOptionCode.RebindingTime, (uint)_dhcp.EffectiveRebindingTime);
    }

    /// <summary>Whether <paramref name="address"/> is on the pool's subnet (its first address and mask).</summary>
    private bool IsPoolSubnet(IPAddress address)
    {
        uint mask = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_dhcp.Subnet.GetAddressBytes());
        uint pool = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_dhcp.Begin.GetAddressBytes());
        uint other = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        return (pool & mask) == (other & mask);
    }

    /// <summary>
    /// RFC 2131 §4.2: the client identifier (61) keys the lease when present, else the MAC. An identifier that is
    /// just the hardware type and the MAC (RFC 2132 §9.14's usual form, which iPXE and udhcpc send) keys by the
    /// MAC too, so the firmware (which sends none, as OVMF) and the iPXE it loads share one lease.
    /// </summary>
    private static string ClientKeyOf(DhcpMessage request)
    {
        if (request.TryGetOption(DhcpOptionCode.ClientIdentifier, out ReadOnlyMemory<byte> id) && id.Length > 0)
        {
            ReadOnlySpan<byte> value = id.Span;
            bool isHardwareAddress = value.Length == 1 + request.ClientHardwareAddress.Length
                && value[0] == request.HardwareType && value[1..].SequenceEqual(request.ClientHardwareAddress);
            if (!isHardwareAddress)
            {
                return "id:" + Convert.ToHexStringLower(value);
            }
        }

        return "mac:" + request.ClientMacAddress;
    }

    private static bool IsBootingClient(DhcpMessage request) =>
        request.VendorClassIdentifier is { } vendor
        && (vendor.StartsWith(PxeClientVendorClass, StringComparison.Ordinal)
            || vendor.StartsWith(BootContext.HttpClientVendorClass, StringComparison.Ordinal));

    private static string Arch(DhcpMessage request) => ClientArchitecture.Name(
        request.ClientSystemArchitecture ?? BootRequests.ArchitectureFromVendorClass(request.VendorClassIdentifier));
}
