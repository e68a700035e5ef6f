using System.Net;

namespace SharpPxe.Leases;

/// <summary>
/// One address bound to one client. <see cref="ClientKey"/> is what identifies the client: "id:" and the hex of
/// option 61 when the client sent a client identifier (RFC 2131 §4.2), else "mac:" and its MAC.
/// </summary>
/// <param name="ClientKey">"id:0152540012..." or "mac:52:54:00:12:34:56".</param>
/// <param name="Mac">The client's hardware address, aa:bb:cc:dd:ee:ff.</param>
/// <param name="Address">The leased address.</param>
/// <param name="Expires">When the lease ends.</param>
/// <param name="State">Bound, or declined (the address is quarantined until <paramref name="Expires"/>).</param>
/// <param name="HostName">Option 12 as the client sent it, if any.</param>
public sealed record Lease(
    string ClientKey, string Mac, IPAddress Address, DateTimeOffset Expires, LeaseState State, string? HostName)
{
    /// <summary>The client key of a client known by its MAC only: "mac:" and the MAC in lower case.</summary>
    public static string KeyForMac(string mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        return "mac:" + mac.ToLowerInvariant();
    }

    /// <summary>
    /// The client key of a client that sent option 61: "id:" and the identifier in lower-case hex, since the
    /// identifier, not chaddr, names the client when present (RFC 2131 §4.2).
    /// </summary>
    public static string KeyForClientIdentifier(ReadOnlySpan<byte> clientIdentifier) =>
        "id:" + Convert.ToHexStringLower(clientIdentifier);

    /// <summary>
    /// The key under which a declined address is stored: it belongs to no client, so the decliner can decline
    /// another address without lifting this quarantine (RFC 2131 §4.3.3).
    /// </summary>
    public static string KeyForDeclined(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return "declined:" + address;
    }
}
