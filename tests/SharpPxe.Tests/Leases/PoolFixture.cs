using System.Net;
using SharpPxe.Leases;

namespace SharpPxe.Tests.Leases;

/// <summary>Builds a lease manager over 198.18.0.0/15 addresses with a manual clock.</summary>
internal static class PoolFixture
{
    public static readonly TimeSpan LeaseTime = TimeSpan.FromHours(1);
    public static readonly TimeSpan OfferHold = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DeclineTime = TimeSpan.FromMinutes(10);

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static string Mac(int n) => $"52:54:00:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}";

    public static string Key(int n) => Lease.KeyForMac(Mac(n));

    public static LeaseManager Create(string begin, string end, ILeaseStore store, ManualTimeProvider time,
        params string[] excluded) =>
        new(Ip(begin), Ip(end), excluded.Select(Ip), store, time, LeaseTime, OfferHold, DeclineTime);

    /// <summary>DISCOVER then REQUEST, as a client does; returns the bound address.</summary>
    public static async Task<IPAddress?> BindAsync(LeaseManager manager, int client)
    {
        IPAddress? offered = manager.Offer(Key(client), Mac(client), null);
        if (offered is null)
        {
            return null;
        }

        Lease? lease = await manager.CommitAsync(Key(client), Mac(client), offered, null, CancellationToken.None);
        return lease?.Address;
    }
}
