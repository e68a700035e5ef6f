using System.Diagnostics;
using System.Net;
using SharpPxe.Config;
using SharpPxe.Leases;
using Xunit.Abstractions;
using static SharpPxe.Tests.Leases.PoolFixture;

namespace SharpPxe.Tests.Leases;

public class SqliteLeaseStoreTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset s_expires = new(2025, 6, 1, 13, 0, 0, 250, TimeSpan.Zero);

    private static Lease LeaseOf(int client, string address, LeaseState state = LeaseState.Bound,
        string? hostName = null) =>
        new(Key(client), Mac(client), Ip(address), s_expires.AddSeconds(client), state, hostName);

    private static async Task<List<Lease>> ReopenAndLoadAsync(string dir, LeaseSync sync)
    {
        await using SqliteLeaseStore store = SqliteLeaseStore.Open(dir, sync);
        IReadOnlyList<Lease> leases = await store.LoadAllAsync(CancellationToken.None);
        return [.. leases.OrderBy(l => l.ClientKey, StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData(LeaseSync.Os)]
    [InlineData(LeaseSync.Fsync)]
    public async Task SaveAsync_DisposeAndReopen_LeasesRoundTrip(LeaseSync sync)
    {
        using var temp = new TempDir();
        string dir = Path.Combine(temp.Path, "state", "nested");
        Lease[] leases =
        [
            LeaseOf(1, "198.18.0.10", hostName: "node1"),
            LeaseOf(2, "198.18.0.11"),
            LeaseOf(3, "198.18.0.12", LeaseState.Declined),
        ];
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(dir, sync))
        {
            Assert.Equal(sync, store.Sync);
            foreach (Lease lease in leases)
            {
                await store.SaveAsync(lease, CancellationToken.None);
            }
        }

        Assert.True(File.Exists(Path.Combine(dir, SqliteLeaseStore.FileName)));
        Assert.Equal(leases, await ReopenAndLoadAsync(dir, sync));
    }

    [Fact]
    public async Task SaveAsync_AddressTakenByAnotherClient_OldRowIsRemoved()
    {
        using var temp = new TempDir();
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os))
        {
            await store.SaveAsync(LeaseOf(1, "198.18.0.10"), CancellationToken.None);
            await store.SaveAsync(LeaseOf(2, "198.18.0.11"), CancellationToken.None);
            // Client 1 moves; client 3 takes client 2's address.
            await store.SaveAsync(LeaseOf(1, "198.18.0.12"), CancellationToken.None);
            await store.SaveAsync(LeaseOf(3, "198.18.0.11"), CancellationToken.None);
            await store.DeleteAsync(Key(9), CancellationToken.None);
        }

        Assert.Equal([LeaseOf(1, "198.18.0.12"), LeaseOf(3, "198.18.0.11")],
            await ReopenAndLoadAsync(temp.Path, LeaseSync.Os));
    }

    [Fact]
    public async Task DeleteAsync_Client_RowIsGone()
    {
        using var temp = new TempDir();
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Fsync))
        {
            await store.SaveAsync(LeaseOf(1, "198.18.0.10"), CancellationToken.None);
            await store.SaveAsync(LeaseOf(2, "198.18.0.11"), CancellationToken.None);
            await store.DeleteAsync(Key(1), CancellationToken.None);
        }

        Assert.Equal([LeaseOf(2, "198.18.0.11")], await ReopenAndLoadAsync(temp.Path, LeaseSync.Fsync));
    }

    [Theory]
    [InlineData(LeaseSync.Os)]
    [InlineData(LeaseSync.Fsync)]
    public async Task SaveAsync_2000ConcurrentCallers_AllRowsThereAfterReopenInFewCommits(LeaseSync sync)
    {
        using var temp = new TempDir();
        long commits;
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, sync))
        {
            Task[] saves = Enumerable.Range(0, 2000)
                .Select(i => Task.Run(() => store.SaveAsync(
                    LeaseOf(i, $"198.18.{i / 250}.{(i % 250) + 1}"), CancellationToken.None)))
                .ToArray();
            await Task.WhenAll(saves).WaitAsync(TimeSpan.FromSeconds(60));
            commits = store.Commits;
        }

        output.WriteLine($"2,000 concurrent saves ({sync}) took {commits} commits");
        Assert.InRange(commits, 1, 1999);
        List<Lease> loaded = await ReopenAndLoadAsync(temp.Path, sync);
        Assert.Equal(2000, loaded.Count);
        Assert.Equal(2000, loaded.Select(l => l.Address).Distinct().Count());
    }

    [Theory]
    [InlineData(LeaseSync.Os)]
    [InlineData(LeaseSync.Fsync)]
    public async Task SaveAsync_10000SavesFrom64Callers_ReportsRate(LeaseSync sync)
    {
        const int Callers = 64;
        const int PerCaller = 10_000 / Callers + 1;
        using var temp = new TempDir();
        var watch = new Stopwatch();
        using var timeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, sync))
        {
            // A first round warms the JIT, the thread pool and SQLite's page cache; the second is timed.
            for (int round = 0; round < 2; round++)
            {
                long commitsBefore = store.Commits;
                watch.Restart();
                await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
                {
                    for (int i = 0; i < PerCaller && !timeLimit.IsCancellationRequested; i++)
                    {
                        int n = (c * PerCaller) + i;
                        await store.SaveAsync(LeaseOf(n, $"198.18.{n / 250}.{(n % 250) + 1}"), timeLimit.Token);
                    }
                })));
                watch.Stop();
                output.WriteLine(
                    $"round {round}: {Callers * PerCaller} saves from {Callers} callers, sync {sync}: "
                    + $"{watch.ElapsedMilliseconds} ms, {Callers * PerCaller / watch.Elapsed.TotalSeconds:F0} saves/s, "
                    + $"{store.Commits - commitsBefore} commits, longest commit so far "
                    + $"{store.LongestCommit.TotalMilliseconds:F1} ms");
            }
        }

        Assert.Equal(Callers * PerCaller, (await ReopenAndLoadAsync(temp.Path, sync)).Count);
    }

    [Fact]
    public async Task Open_CorruptFile_ThrowsNamingTheFile()
    {
        using var temp = new TempDir();
        string path = temp.File(SqliteLeaseStore.FileName, new string('x', 8192));

        var ex = Assert.Throws<LeaseStoreException>(() => SqliteLeaseStore.Open(temp.Path, LeaseSync.Os));

        Assert.Contains(Path.GetFullPath(path), ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be opened", ex.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task SaveAsync_AfterDispose_ThrowsObjectDisposed()
    {
        using var temp = new TempDir();
        SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => store.SaveAsync(LeaseOf(1, "198.18.0.10"), CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_SavesStillQueued_AreWrittenFirst()
    {
        using var temp = new TempDir();
        Task[] saves;
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os))
        {
            saves = Enumerable.Range(0, 500)
                .Select(i => store.SaveAsync(LeaseOf(i, $"198.18.{i / 250}.{(i % 250) + 1}"), CancellationToken.None))
                .ToArray();
        }

        Assert.All(saves, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(500, (await ReopenAndLoadAsync(temp.Path, LeaseSync.Os)).Count);
    }

    [Fact]
    public async Task LeaseManager_OverSqlite_DeclineSurvivesRestart()
    {
        using var temp = new TempDir();
        var time = new ManualTimeProvider();
        IPAddress declined;
        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os))
        {
            LeaseManager manager = Create("198.18.0.10", "198.18.0.11", store, time);
            await BindAsync(manager, 1);
            declined = manager.Offer(Key(2), Mac(2), null)!;
            Assert.True(await manager.DeclineAsync(Key(2), declined, CancellationToken.None));
        }

        await using (SqliteLeaseStore store = SqliteLeaseStore.Open(temp.Path, LeaseSync.Os))
        {
            LeaseManager manager = Create("198.18.0.10", "198.18.0.11", store, time);
            await manager.LoadAsync(CancellationToken.None);

            Assert.Equal(LeaseState.Declined, manager.FindByAddress(declined)!.State);
            Assert.NotNull(manager.FindByClient(Key(1)));
            Assert.True(manager.IsExhausted);
        }
    }
}
