using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using SharpPxe.Config;
using SharpPxe.Leases;
using Xunit.Abstractions;
using static SharpPxe.Tests.Leases.PoolFixture;

namespace SharpPxe.Tests.Leases;

public class LeaseManagerConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BindAsync_ManyConcurrentClients_NoAddressHandedOutTwice()
    {
        var time = new ManualTimeProvider();
        var store = new MemoryLeaseStore();
        // 1,000 addresses, 1,200 clients from 16 threads: 1,000 bind, 200 find the pool exhausted.
        LeaseManager manager = Create("198.18.0.1", "198.18.3.232", store, time);
        var bound = new ConcurrentBag<(int Client, IPAddress Address)>();
        int exhausted = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 1200), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (client, _) =>
            {
                IPAddress? address = await BindAsync(manager, client);
                if (address is null)
                {
                    Interlocked.Increment(ref exhausted);
                }
                else
                {
                    bound.Add((client, address));
                }
            });

        Assert.Equal(1000, bound.Count);
        Assert.Equal(200, exhausted);
        Assert.Equal(1000, bound.Select(b => b.Address).Distinct().Count());
        Assert.Contains(bound, b => b.Address.Equals(Ip("198.18.3.232")));
        Assert.All(bound, b => Assert.Equal(Key(b.Client), manager.FindByAddress(b.Address)!.ClientKey));
        Assert.Equal(1000, store.Count);
    }

    [Fact]
    public async Task Offer_RacingDiscoversAndRequests_NoAddressHasTwoHolders()
    {
        var time = new ManualTimeProvider();
        var store = new MemoryLeaseStore();
        LeaseManager manager = Create("198.18.0.1", "198.18.0.50", store, time);
        int[] targets = Enumerable.Range(0, 400).ToArray();

        // Every client asks for one of 50 addresses by option 50 and requests it straight away (INIT-REBOOT
        // style), so many clients fight over each address. A loser's offer of some other address holds that
        // address until it times out, so an address may end with no winner at all; none may end with two.
        var winners = new ConcurrentDictionary<IPAddress, ConcurrentBag<int>>();
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (client, _) =>
            {
                IPAddress wanted = Ip($"198.18.0.{(client % 50) + 1}");
                manager.Offer(Key(client), Mac(client), wanted);
                Lease? lease = await manager.CommitAsync(Key(client), Mac(client), wanted, null,
                    CancellationToken.None);
                if (lease is not null)
                {
                    winners.GetOrAdd(wanted, _ => []).Add(client);
                }
            });

        Assert.NotEmpty(winners);
        Assert.All(winners.Values, w => Assert.Single(w));
        Assert.Equal(winners.Count, store.Count);
        for (int host = 1; host <= 50; host++)
        {
            IPAddress address = Ip($"198.18.0.{host}");
            Lease? bound = manager.FindByAddress(address);
            if (winners.TryGetValue(address, out ConcurrentBag<int>? won))
            {
                Assert.Equal(Key(Assert.Single(won)), bound?.ClientKey);
            }
            else
            {
                Assert.Null(bound);
            }
        }
    }

    [Fact]
    public async Task CommitAndRelease_ConcurrentChurnOverSqlite_StoreMatchesMemoryAfterReopen()
    {
        using var temp = new TempDir();
        var time = new ManualTimeProvider();
        List<Lease> inMemory;
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os))
        {
            LeaseManager manager = Create("198.18.0.1", "198.18.0.200", store, time);
            // 300 clients over 200 addresses, each binding, sometimes releasing and binding again, so that
            // saves and deletes of one address race between clients.
            await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (client, _) =>
                {
                    for (int round = 0; round < 3; round++)
                    {
                        IPAddress? address = await BindAsync(manager, client);
                        if (address is not null && (client + round) % 2 == 0)
                        {
                            await manager.ReleaseAsync(Key(client), address, CancellationToken.None);
                        }
                    }
                });
            inMemory = [.. manager.Snapshot()];
        }

        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os))
        {
            IReadOnlyList<Lease> stored = await store.LoadAllAsync(CancellationToken.None);
            Assert.Equal(inMemory, stored.OrderBy(l => l.Address.GetAddressBytes()[3]));
            Assert.Equal(stored.Count, stored.Select(l => l.ClientKey).Distinct().Count());
        }
    }

    [Fact]
    public async Task Offer_Slash16Pool_StaysFastWhenNearlyFull()
    {
        var time = new ManualTimeProvider();
        LeaseManager manager = Create("198.18.0.0", "198.18.255.255", new MemoryLeaseStore(), time,
            "198.18.0.1", "198.18.0.2");
        Assert.Equal(65534, manager.PoolSize);

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 65534; i++)
        {
            Assert.NotNull(await BindAsync(manager, i));
        }

        watch.Stop();
        output.WriteLine($"65,534 DISCOVER+REQUEST on a /16: {watch.ElapsedMilliseconds} ms");
        Assert.Null(manager.Offer(Key(70000), Mac(70000), null));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");

        // Half the leases run out; the pool refills in expiry order without a scan per request.
        time.Advance(LeaseTime);
        watch.Restart();
        for (int i = 0; i < 1000; i++)
        {
            Assert.NotNull(manager.Offer(Key(100000 + i), Mac(100000 + i), null));
        }

        output.WriteLine($"1,000 DISCOVER after mass expiry: {watch.ElapsedMilliseconds} ms");
        Assert.Equal(65534 - 1000, manager.FreeCount);
    }
}
