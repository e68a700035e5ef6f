using SharpPxe.Leases;
using static SharpPxe.Tests.Leases.PoolFixture;

namespace SharpPxe.Tests.Leases;

public class MemoryLeaseStoreTests
{
    private static readonly DateTimeOffset s_expires = new(2025, 6, 1, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveAsync_SameAddressForAnotherClient_ReplacesTheOldRecord()
    {
        await using var store = new MemoryLeaseStore();
        await store.SaveAsync(new Lease(Key(1), Mac(1), Ip("198.18.0.10"), s_expires, LeaseState.Bound, null),
            CancellationToken.None);
        await store.SaveAsync(new Lease(Key(1), Mac(1), Ip("198.18.0.11"), s_expires, LeaseState.Bound, null),
            CancellationToken.None);
        var taken = new Lease(Key(2), Mac(2), Ip("198.18.0.11"), s_expires, LeaseState.Bound, null);
        await store.SaveAsync(taken, CancellationToken.None);

        Assert.Equal([taken], await store.LoadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_Client_RemovesIt()
    {
        await using var store = new MemoryLeaseStore();
        await store.SaveAsync(new Lease(Key(1), Mac(1), Ip("198.18.0.10"), s_expires, LeaseState.Bound, null),
            CancellationToken.None);

        await store.DeleteAsync(Key(1), CancellationToken.None);

        Assert.Equal(0, store.Count);
    }
}
