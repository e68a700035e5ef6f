using System.Net;
using Microsoft.Extensions.Logging;

namespace SharpPxe.Dhcp;

/// <summary>
/// The DHCP and ProxyDHCP log lines (event ids 1001-1099). Information is one line per client outcome.
/// </summary>
internal static partial class DhcpLog
{
    [LoggerMessage(EventId = 1001, EventName = "DhcpOffer", Level = LogLevel.Information,
        Message = "DHCPOFFER {Mac} arch {Arch} {Address} file {File} (rule {Rule}, xid {Xid:x8})")]
    public static partial void Offer(
        ILogger logger, string mac, string arch, IPAddress address, string file, string rule, uint xid);

    [LoggerMessage(EventId = 1002, EventName = "DhcpAck", Level = LogLevel.Information,
        Message = "DHCPACK {Mac} arch {Arch} {Address} lease {LeaseSeconds}s file {File} (rule {Rule}, {State})")]
    public static partial void Ack(ILogger logger, string mac, string arch, IPAddress address, int leaseSeconds,
        string file, string rule, string state);

    [LoggerMessage(EventId = 1003, EventName = "DhcpNak", Level = LogLevel.Information,
        Message = "DHCPNAK {Mac} asked for {Address}: {Reason}")]
    public static partial void Nak(ILogger logger, string mac, IPAddress address, string reason);

    [LoggerMessage(EventId = 1004, EventName = "DhcpDecline", Level = LogLevel.Warning,
        Message = "DHCPDECLINE {Mac} {Address}: another host uses it; kept out of the pool for {Seconds}s")]
    public static partial void Declined(ILogger logger, string mac, IPAddress address, int seconds);

    [LoggerMessage(EventId = 1005, EventName = "DhcpRelease", Level = LogLevel.Information,
        Message = "DHCPRELEASE {Mac} {Address}")]
    public static partial void Released(ILogger logger, string mac, IPAddress address);

    [LoggerMessage(EventId = 1006, EventName = "DhcpInform", Level = LogLevel.Information,
        Message = "DHCPINFORM {Mac} {Address} answered")]
    public static partial void Informed(ILogger logger, string mac, IPAddress address);

    [LoggerMessage(EventId = 1007, EventName = "PoolExhausted", Level = LogLevel.Warning,
        Message = "DHCP pool {Begin}-{End} is exhausted: {Mac} gets no offer until an address frees")]
    public static partial void PoolExhausted(ILogger logger, IPAddress begin, IPAddress end, string mac);

    [LoggerMessage(EventId = 1008, EventName = "DatagramDropped", Level = LogLevel.Debug,
        Message = "dropped a datagram of {Length} bytes from {Remote}: {Reason}")]
    public static partial void Dropped(ILogger logger, int length, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 1009, EventName = "RequestIgnored", Level = LogLevel.Debug,
        Message = "{Type} from {Mac} ignored: {Reason}")]
    public static partial void Ignored(ILogger logger, DhcpMessageType type, string mac, string reason);

    [LoggerMessage(EventId = 1010, EventName = "DhcpListening", Level = LogLevel.Information,
        Message = "{Mode} listening on {Endpoint}{Where}")]
    public static partial void Listening(ILogger logger, string mode, IPEndPoint endpoint, string where);

    [LoggerMessage(EventId = 1011, EventName = "ProxyOffer", Level = LogLevel.Information,
        Message = "ProxyDHCP OFFER {Mac} arch {Arch} file {File} (rule {Rule}{BootServer})")]
    public static partial void ProxyOffer(ILogger logger, string mac, string arch, string file, string rule,
        string bootServer);

    [LoggerMessage(EventId = 1012, EventName = "BootServerAck", Level = LogLevel.Information,
        Message = "PXE boot server ACK {Mac} arch {Arch} file {File} (rule {Rule}) to {Remote}")]
    public static partial void BootServerAck(ILogger logger, string mac, string arch, string file, string rule,
        IPEndPoint remote);

    [LoggerMessage(EventId = 1013, EventName = "SendFailed", Level = LogLevel.Warning,
        Message = "{Type} for {Mac} to {Destination} could not be sent: {Reason}")]
    public static partial void SendFailed(ILogger logger, DhcpMessageType type, string mac, IPEndPoint destination,
        string reason);

    [LoggerMessage(EventId = 1014, EventName = "NeighbourNotSet", Level = LogLevel.Debug,
        Message = "no ARP entry for {Mac} {Address} on {Interface}; broadcasting the reply instead")]
    public static partial void NeighbourNotSet(ILogger logger, string mac, IPAddress address, string @interface);

    [LoggerMessage(EventId = 1015, EventName = "HandlerFailed", Level = LogLevel.Error,
        Message = "DHCP failed on a datagram from {Remote}; the server goes on")]
    public static partial void HandlerFailed(ILogger logger, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 1016, EventName = "PoolOffLink", Level = LogLevel.Warning,
        Message = "DHCP pool {Begin}-{End} is on no subnet of this host's interfaces; only relayed clients can use it")]
    public static partial void PoolOffLink(ILogger logger, IPAddress begin, IPAddress end);

    [LoggerMessage(EventId = 1017, EventName = "ReplySent", Level = LogLevel.Debug,
        Message = "{Type} for {Mac} sent to {Destination} via interface {Interface} from {Source}")]
    public static partial void ReplySent(ILogger logger, DhcpMessageType type, string mac, IPEndPoint destination,
        int @interface, IPAddress source);

    [LoggerMessage(EventId = 1018, EventName = "LeasesLoaded", Level = LogLevel.Information,
        Message = "DHCP leases: {Count} loaded from {Store}")]
    public static partial void LeasesLoaded(ILogger logger, int count, string store);

    [LoggerMessage(EventId = 1019, EventName = "DhcpReceived", Level = LogLevel.Debug,
        Message = "Received {Type} from {Mac}: arch {Arch}, vendor class {VendorClass}, user class {UserClass}")]
    public static partial void Received(ILogger logger, string type, string mac, string arch, string vendorClass,
        string userClass);
}
