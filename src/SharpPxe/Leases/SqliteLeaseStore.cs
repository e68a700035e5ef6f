using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpPxe.Config;

namespace SharpPxe.Leases;

/// <summary>
/// The default lease store: one SQLite database, <c>leases.db</c> in the state directory, in WAL mode. Writes are
/// group-committed: every <see cref="SaveAsync"/> and <see cref="DeleteAsync"/> joins a queue, one writer drains
/// all that is queued into a single transaction, commits it, then completes every waiter. With
/// <see cref="LeaseSync.Os"/> a commit is written to the WAL file before the waiters complete (it survives the
/// process being killed); with <see cref="LeaseSync.Fsync"/> it is also flushed to disk (it survives a power loss).
/// </summary>
public sealed partial class SqliteLeaseStore : ILeaseStore
{
    /// <summary>The database's file name inside the state directory.</summary>
    public const string FileName = "leases.db";

    private const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _connectionLock = new();
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _writer;
    private readonly ILogger _logger;
    private int _disposed;
    private long _commits;
    private long _longestCommitTicks;

    private SqliteLeaseStore(string path, LeaseSync sync, SqliteConnection connection, ILogger logger)
    {
        Path = path;
        Sync = sync;
        _connection = connection;
        _logger = logger;
        _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>How durable a commit is before its waiters complete.</summary>
    public LeaseSync Sync { get; }

    /// <summary>How many transactions the writer has committed (a measure of how well writes are grouped).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>The longest a single transaction took, write and commit (a measure of disk stalls).</summary>
    public TimeSpan LongestCommit => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _longestCommitTicks));

    /// <summary>
    /// Opens (creating it, and the directory, if need be) <c>leases.db</c> in <paramref name="stateDir"/>.
    /// </summary>
    /// <exception cref="LeaseStoreException">The file is not a lease database or cannot be opened; the message
    /// names it.</exception>
    public static SqliteLeaseStore Open(string stateDir, LeaseSync sync, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDir);
        logger ??= NullLogger.Instance;
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(stateDir, FileName));
        try
        {
            Directory.CreateDirectory(stateDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LeaseStoreException($"lease database {path}: cannot create directory {stateDir}: {ex.Message}",
                ex);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection; no pool, so that disposing really closes the file.
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            PrepareSchema(connection, path, sync);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new LeaseStoreException(
                $"lease database {path} cannot be opened: {ex.Message} (move the file away to start afresh)", ex);
        }
        catch (LeaseStoreException)
        {
            connection.Dispose();
            throw;
        }

        LeasesLog.StoreOpened(logger, path, sync);
        return new SqliteLeaseStore(path, sync, connection, logger);
    }

    public Task<IReadOnlyList<Lease>> LoadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var leases = new List<Lease>();
        lock (_connectionLock)
        {
            using SqliteCommand select = _connection.CreateCommand();
            select.CommandText = "SELECT client_key, mac, address, expires_ms, state, host_name FROM leases";
            try
            {
                using SqliteDataReader reader = select.ExecuteReader();
                while (reader.Read())
                {
                    leases.Add(ReadLease(reader));
                }
            }
            catch (Exception ex) when (ex is SqliteException or FormatException or InvalidCastException)
            {
                throw new LeaseStoreException($"lease database {Path} cannot be read: {ex.Message}", ex);
            }
        }

        return Task.FromResult<IReadOnlyList<Lease>>(leases);
    }

    public Task SaveAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return EnqueueAsync(new PendingWrite(lease.ClientKey, lease), cancellationToken);
    }

    public Task DeleteAsync(string clientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        return EnqueueAsync(new PendingWrite(clientKey, null), cancellationToken);
    }

    /// <summary>Writes everything still queued, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        lock (_connectionLock)
        {
            _connection.Dispose();
        }
    }

    /// <summary>"SQLite /var/lib/sharppxe/leases.db (sync Os)", for the log.</summary>
    public override string ToString() => $"SQLite {Path} (sync {Sync})";

    private static void PrepareSchema(SqliteConnection connection, string path, LeaseSync sync)
    {
        long version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new LeaseStoreException(
                $"lease database {path} has schema version {version}; this SharpPXE knows {SchemaVersion}");
        }

        string journal = Convert.ToString(Scalar(connection, "PRAGMA journal_mode=WAL"), CultureInfo.InvariantCulture)
            ?? string.Empty;
        if (!journal.Equals("wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new LeaseStoreException($"lease database {path} cannot use a write-ahead log (journal {journal})");
        }

        // OFF: a commit is still written to the WAL by write(2) before it returns, so it is in the kernel's hands
        // and survives the process being killed; FULL adds an fsync of the WAL per commit (power loss).
        Execute(connection, sync == LeaseSync.Fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS leases (
                client_key TEXT NOT NULL PRIMARY KEY,
                mac        TEXT NOT NULL,
                address    TEXT NOT NULL UNIQUE,
                expires_ms INTEGER NOT NULL,
                state      TEXT NOT NULL,
                host_name  TEXT
            )
            """);
        Execute(connection, $"PRAGMA user_version={SchemaVersion}");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Lease ReadLease(SqliteDataReader reader)
    {
        string state = reader.GetString(4);
        return new Lease(
            reader.GetString(0),
            reader.GetString(1),
            IPAddress.Parse(reader.GetString(2)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            state switch
            {
                "bound" => LeaseState.Bound,
                "declined" => LeaseState.Declined,
                _ => throw new FormatException($"unknown lease state '{state}'"),
            },
            reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    private Task EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool closed = Volatile.Read(ref _disposed) != 0 || !_queue.Writer.TryWrite(write);
        ObjectDisposedException.ThrowIf(closed, this);

        // The write happens whatever the token says once queued; the token only stops the wait.
        return cancellationToken.CanBeCanceled ? write.Done.Task.WaitAsync(cancellationToken) : write.Done.Task;
    }

    /// <summary>One queued change: a lease to save, or (when <see cref="Lease"/> is null) a client to delete.</summary>
    private sealed class PendingWrite(string clientKey, Lease? lease)
    {
        public string ClientKey { get; } = clientKey;

        public Lease? Lease { get; } = lease;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
