using System.Net;
using SharpPxe.Leases;
using static SharpPxe.Tests.Leases.PoolFixture;

namespace SharpPxe.Tests.Leases;

public sealed class LeaseManagerTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly MemoryLeaseStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Offer_SmallPool_HandsOutEveryAddressOnceIncludingTheLast()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.14", _store, _time);

        var bound = new List<IPAddress>();
        for (int i = 0; i < 5; i++)
        {
            bound.Add((await BindAsync(manager, i))!);
        }

        Assert.Equal(["198.18.0.10", "198.18.0.11", "198.18.0.12", "198.18.0.13", "198.18.0.14"],
            bound.Select(a => a.ToString()));
        Assert.Equal(0, manager.FreeCount);
        Assert.True(manager.IsExhausted);
    }

    [Fact]
    public async Task Offer_ExcludedAddresses_AreNeverOffered()
    {
        // Server, router and a static binding inside the range, and one outside it (ignored).
        LeaseManager manager = Create("198.18.0.1", "198.18.0.6", _store, _time,
            "198.18.0.1", "198.18.0.3", "198.18.0.6", "198.18.9.9");

        var bound = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            bound.Add((await BindAsync(manager, i))?.ToString() ?? "none");
        }

        Assert.Equal(["198.18.0.2", "198.18.0.4", "198.18.0.5", "none"], bound);
        Assert.Equal(3, manager.PoolSize);
        Assert.False(manager.IsInPool(Ip("198.18.0.3")));
        Assert.Null(await manager.CommitAsync(Key(9), Mac(9), Ip("198.18.0.6"), null, CancellationToken.None));
        Assert.Null(manager.Offer(Key(9), Mac(9), Ip("198.18.0.1")));
    }

    [Fact]
    public async Task Offer_PoolExhausted_ReturnsNullUntilAReleaseThenRecovers()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.11", _store, _time);
        await BindAsync(manager, 1);
        IPAddress second = (await BindAsync(manager, 2))!;

        Assert.Null(manager.Offer(Key(3), Mac(3), null));

        Assert.True(await manager.ReleaseAsync(Key(2), second, CancellationToken.None));
        Assert.Equal(second, manager.Offer(Key(3), Mac(3), null));
    }

    [Fact]
    public async Task Offer_PoolExhausted_RecoversWhenALeaseExpires()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.10", _store, _time);
        await BindAsync(manager, 1);
        Assert.Null(manager.Offer(Key(2), Mac(2), null));

        _time.Advance(LeaseTime);

        Assert.Equal(Ip("198.18.0.10"), manager.Offer(Key(2), Mac(2), null));
        Assert.Null(manager.FindByClient(Key(1)));
    }

    [Fact]
    public void Offer_HeldOffer_ExpiresAfterOfferHold()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.10", _store, _time);
        Assert.NotNull(manager.Offer(Key(1), Mac(1), null));

        _time.Advance(OfferHold - TimeSpan.FromSeconds(1));
        Assert.Null(manager.Offer(Key(2), Mac(2), null));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Ip("198.18.0.10"), manager.Offer(Key(2), Mac(2), null));
    }

    [Fact]
    public void Offer_SameClientTwice_GetsItsHeldOffer()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);

        IPAddress? first = manager.Offer(Key(1), Mac(1), null);
        IPAddress? again = manager.Offer(Key(1), Mac(1), Ip("198.18.0.15"));

        Assert.Equal(first, again);
        Assert.Equal(10, manager.FreeCount);
    }

    [Fact]
    public void Offer_RequestedAddressFree_IsOffered()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);

        Assert.Equal(Ip("198.18.0.17"), manager.Offer(Key(1), Mac(1), Ip("198.18.0.17")));
        // Taken by client 1, outside the pool, or excluded: the lowest free address instead.
        Assert.Equal(Ip("198.18.0.10"), manager.Offer(Key(2), Mac(2), Ip("198.18.0.17")));
        Assert.Equal(Ip("198.18.0.11"), manager.Offer(Key(3), Mac(3), Ip("198.18.1.17")));
    }

    [Fact]
    public void CancelOffer_ClientChoseAnotherServer_FreesTheAddress()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.10", _store, _time);
        manager.Offer(Key(1), Mac(1), null);

        manager.CancelOffer(Key(1));

        Assert.Equal(Ip("198.18.0.10"), manager.Offer(Key(2), Mac(2), null));
    }

    [Fact]
    public async Task CommitAsync_SomeoneElsesAddress_ReturnsNull()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        IPAddress bound = (await BindAsync(manager, 1))!;
        IPAddress offered = manager.Offer(Key(2), Mac(2), null)!;

        Assert.Null(await manager.CommitAsync(Key(3), Mac(3), bound, null, CancellationToken.None));
        Assert.Null(await manager.CommitAsync(Key(3), Mac(3), offered, null, CancellationToken.None));
        Assert.Null(await manager.CommitAsync(Key(3), Mac(3), Ip("198.18.0.21"), null, CancellationToken.None));
        Assert.Equal(Key(1), manager.FindByAddress(bound)!.ClientKey);
    }

    [Fact]
    public async Task CommitAsync_Offered_StoresTheBoundLeaseBeforeReturning()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        IPAddress offered = manager.Offer(Key(1), Mac(1), null)!;

        Lease? lease = await manager.CommitAsync(Key(1), Mac(1), offered, "node1", CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal(_time.GetUtcNow() + LeaseTime, lease.Expires);
        Assert.Equal(LeaseState.Bound, lease.State);
        Assert.Equal("node1", lease.HostName);
        Assert.Equal([lease], await _store.LoadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CommitAsync_Renewal_ExtendsTheLease()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        IPAddress address = (await BindAsync(manager, 1))!;
        _time.Advance(LeaseTime / 2);

        Lease? renewed = await manager.CommitAsync(Key(1), Mac(1), address, null, CancellationToken.None);
        _time.Advance(LeaseTime * 3 / 4);

        Assert.Equal(_time.GetUtcNow() + (LeaseTime / 4), renewed!.Expires);
        Assert.Equal(address, manager.FindByClient(Key(1))!.Address);
    }

    [Fact]
    public async Task CommitAsync_ClientMovesToAnotherAddress_FreesTheOldOne()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.11", _store, _time);
        IPAddress first = (await BindAsync(manager, 1))!;

        Lease? moved = await manager.CommitAsync(Key(1), Mac(1), Ip("198.18.0.11"), null, CancellationToken.None);

        Assert.NotNull(moved);
        Assert.Null(manager.FindByAddress(first));
        Assert.Equal(1, manager.FreeCount);
        Assert.Single(await _store.LoadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeclineAsync_Address_QuarantinedForDeclineTime()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.10", _store, _time);
        IPAddress address = (await BindAsync(manager, 1))!;

        Assert.True(await manager.DeclineAsync(Key(1), address, CancellationToken.None));

        Assert.Null(manager.FindByClient(Key(1)));
        Assert.Equal(LeaseState.Declined, manager.FindByAddress(address)!.State);
        Assert.Null(manager.Offer(Key(1), Mac(1), null));
        Assert.Null(await manager.CommitAsync(Key(2), Mac(2), address, null, CancellationToken.None));
        _time.Advance(DeclineTime);
        Assert.Equal(address, manager.Offer(Key(2), Mac(2), null));
    }

    [Fact]
    public async Task DeclineAsync_SomeoneElsesAddress_IsRefused()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        IPAddress address = (await BindAsync(manager, 1))!;

        Assert.False(await manager.DeclineAsync(Key(2), address, CancellationToken.None));
        Assert.False(await manager.DeclineAsync(Key(2), Ip("198.18.0.30"), CancellationToken.None));
        Assert.Equal(LeaseState.Bound, manager.FindByAddress(address)!.State);
    }

    [Fact]
    public async Task DeclineAsync_FreeAddressNeverOffered_IsRefusedAndStaysFree()
    {
        // RFC 2131 §4.3.3: only the address a client was given can be declined; otherwise one client could
        // quarantine the whole pool with a DECLINE per address.
        LeaseManager manager = Create("198.18.0.10", "198.18.0.11", _store, _time);

        Assert.False(await manager.DeclineAsync(Key(9), Ip("198.18.0.10"), CancellationToken.None));
        Assert.False(await manager.DeclineAsync(Key(9), Ip("198.18.0.11"), CancellationToken.None));

        Assert.Equal(2, manager.FreeCount);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task DeclineAsync_TwoAddressesThenReload_BothStayQuarantined()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.12", _store, _time);
        IPAddress first = manager.Offer(Key(1), Mac(1), null)!;
        await manager.DeclineAsync(Key(1), first, CancellationToken.None);
        IPAddress second = manager.Offer(Key(1), Mac(1), null)!;
        await manager.DeclineAsync(Key(1), second, CancellationToken.None);

        LeaseManager reloaded = Create("198.18.0.10", "198.18.0.12", _store, _time);
        await reloaded.LoadAsync(CancellationToken.None);

        Assert.Equal(LeaseState.Declined, reloaded.FindByAddress(first)!.State);
        Assert.Equal(LeaseState.Declined, reloaded.FindByAddress(second)!.State);
        Assert.Equal(1, reloaded.FreeCount);
        Assert.Equal(Ip("198.18.0.12"), reloaded.Offer(Key(2), Mac(2), first));
    }

    [Fact]
    public async Task ReleaseAsync_OwnLease_FreesItAndDeletesTheRecord()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.10", _store, _time);
        IPAddress address = (await BindAsync(manager, 1))!;

        Assert.False(await manager.ReleaseAsync(Key(2), address, CancellationToken.None));
        Assert.True(await manager.ReleaseAsync(Key(1), address, CancellationToken.None));

        Assert.Null(manager.FindByClient(Key(1)));
        Assert.Equal(0, _store.Count);
        Assert.Equal(address, manager.Offer(Key(2), Mac(2), null));
    }

    [Fact]
    public async Task Offer_ReturningClientAfterExpiry_GetsItsOldAddressBack()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        await BindAsync(manager, 1);
        IPAddress mine = (await BindAsync(manager, 2))!;
        await BindAsync(manager, 3);
        _time.Advance(LeaseTime * 2);

        // Another client comes first: it gets a never-used address, not client 2's old one.
        Assert.Equal(Ip("198.18.0.13"), manager.Offer(Key(4), Mac(4), null));
        Assert.Equal(mine, manager.Offer(Key(2), Mac(2), null));
    }

    [Fact]
    public async Task Offer_NeverUsedExhausted_ReusesTheLeastRecentlyExpiredFirst()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.12", _store, _time);
        IPAddress a = (await BindAsync(manager, 1))!;
        _time.Advance(TimeSpan.FromMinutes(1));
        IPAddress b = (await BindAsync(manager, 2))!;
        _time.Advance(TimeSpan.FromMinutes(1));
        await BindAsync(manager, 3);
        _time.Advance(LeaseTime * 2);

        Assert.Equal(a, manager.Offer(Key(7), Mac(7), null));
        Assert.Equal(b, manager.Offer(Key(8), Mac(8), null));
    }

    [Fact]
    public async Task LoadAsync_AfterRestart_RestoresLeasesAndReturningClients()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        IPAddress kept = (await BindAsync(manager, 1))!;
        _time.Advance(TimeSpan.FromMinutes(30));
        IPAddress old = (await BindAsync(manager, 2))!;
        await _store.SaveAsync(new Lease(Key(3), Mac(3), Ip("198.19.0.1"), _time.GetUtcNow() + LeaseTime,
            LeaseState.Bound, null), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(45));

        LeaseManager reloaded = Create("198.18.0.10", "198.18.0.20", _store, _time);
        await reloaded.LoadAsync(CancellationToken.None);

        Assert.Equal(Key(2), reloaded.FindByAddress(old)!.ClientKey);
        Assert.Null(reloaded.FindByAddress(kept));
        Assert.Equal(10, reloaded.FreeCount);
        Assert.Equal(Ip("198.18.0.12"), reloaded.Offer(Key(5), Mac(5), null));
        Assert.Equal(kept, reloaded.Offer(Key(1), Mac(1), null));
    }

    [Fact]
    public async Task ImportAsync_PyPxeLeases_BindsFreeUnexpiredOnes()
    {
        LeaseManager manager = Create("198.18.0.10", "198.18.0.20", _store, _time);
        await BindAsync(manager, 1);
        DateTimeOffset later = _time.GetUtcNow() + LeaseTime;
        Lease[] imported =
        [
            new(Key(2), Mac(2), Ip("198.18.0.15"), later, LeaseState.Bound, null),
            new(Key(3), Mac(3), Ip("198.18.0.10"), later, LeaseState.Bound, null),
            new(Key(4), Mac(4), Ip("198.18.0.16"), _time.GetUtcNow(), LeaseState.Bound, null),
            new(Key(5), Mac(5), Ip("198.18.3.16"), later, LeaseState.Bound, null),
        ];

        Assert.Equal(1, await manager.ImportAsync(imported, CancellationToken.None));

        Assert.Equal(Key(2), manager.FindByAddress(Ip("198.18.0.15"))!.ClientKey);
        Assert.Equal(Key(1), manager.FindByAddress(Ip("198.18.0.10"))!.ClientKey);
        Assert.Equal(2, _store.Count);
    }

    [Fact]
    public void Constructor_ReversedOrHugeRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create("198.18.0.20", "198.18.0.10", _store, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create("198.0.0.0", "198.31.255.255", _store, _time));
    }
}
