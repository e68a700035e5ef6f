using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SharpPxe.Leases;

/// <summary>The group-commit writer: one task, one transaction per drained batch.</summary>
public sealed partial class SqliteLeaseStore
{
    /// <summary>A cap on one transaction, so a flood of writes still commits (and answers) in steady steps.</summary>
    private const int MaxBatch = 8192;

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>();
        SqliteCommand save;
        SqliteCommand delete;
        lock (_connectionLock)
        {
            save = CreateSaveCommand();
            delete = CreateDeleteCommand();
        }

        using (save)
        using (delete)
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out PendingWrite? write))
                {
                    batch.Add(write);
                }

                LeaseStoreException? failure = WriteBatch(batch, save, delete);
                foreach (PendingWrite write in batch)
                {
                    if (failure is null)
                    {
                        write.Done.TrySetResult();
                    }
                    else
                    {
                        write.Done.TrySetException(failure);
                    }
                }
            }
        }
    }

    private LeaseStoreException? WriteBatch(List<PendingWrite> batch, SqliteCommand save, SqliteCommand delete)
    {
        lock (_connectionLock)
        {
            try
            {
                long started = Stopwatch.GetTimestamp();
                using SqliteTransaction transaction = _connection.BeginTransaction();
                save.Transaction = transaction;
                delete.Transaction = transaction;
                foreach (PendingWrite write in batch)
                {
                    if (write.Lease is { } lease)
                    {
                        save.Parameters[0].Value = lease.ClientKey;
                        save.Parameters[1].Value = lease.Mac;
                        save.Parameters[2].Value = lease.Address.ToString();
                        save.Parameters[3].Value = lease.Expires.ToUnixTimeMilliseconds();
                        save.Parameters[4].Value = lease.State == LeaseState.Declined ? "declined" : "bound";
                        save.Parameters[5].Value = (object?)lease.HostName ?? DBNull.Value;
                        save.ExecuteNonQuery();
                    }
                    else
                    {
                        delete.Parameters[0].Value = write.ClientKey;
                        delete.ExecuteNonQuery();
                    }
                }

                transaction.Commit();
                Interlocked.Increment(ref _commits);
                long took = Stopwatch.GetTimestamp() - started;
                if (took > Interlocked.Read(ref _longestCommitTicks))
                {
                    Interlocked.Exchange(ref _longestCommitTicks, took);
                }

                return null;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, every waiter of the batch must hear of it rather than wait forever.
                LeasesLog.StoreWriteFailed(_logger, Path, batch.Count, ex);
                return new LeaseStoreException(
                    string.Create(CultureInfo.InvariantCulture, $"lease database {Path}: write failed: {ex.Message}"),
                    ex);
            }
        }
    }

    private SqliteCommand CreateSaveCommand()
    {
        SqliteCommand command = _connection.CreateCommand();
        // OR REPLACE removes every row that conflicts on a unique column: the client's old row (client_key) and
        // any other client's row for the same address, which is what a new binding of that address means.
        command.CommandText = """
            INSERT OR REPLACE INTO leases (client_key, mac, address, expires_ms, state, host_name)
            VALUES ($key, $mac, $address, $expires, $state, $host)
            """;
        command.Parameters.Add("$key", SqliteType.Text);
        command.Parameters.Add("$mac", SqliteType.Text);
        command.Parameters.Add("$address", SqliteType.Text);
        command.Parameters.Add("$expires", SqliteType.Integer);
        command.Parameters.Add("$state", SqliteType.Text);
        command.Parameters.Add("$host", SqliteType.Text);
        command.Prepare();
        return command;
    }

    private SqliteCommand CreateDeleteCommand()
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM leases WHERE client_key = $key";
        command.Parameters.Add("$key", SqliteType.Text);
        command.Prepare();
        return command;
    }
}
