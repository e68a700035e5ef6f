using System.Net;

namespace SharpPxe.Leases;

/// <summary>
/// Keeps leases in memory only: for tests, and for a server run without a state directory (leases are lost when
/// the process ends). Thread-safe; every call completes synchronously.
/// </summary>
public sealed class MemoryLeaseStore : ILeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Lease> _byClient = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, string> _clientByAddress = [];

    /// <summary>How many records the store holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byClient.Count;
            }
        }
    }

    public Task<IReadOnlyList<Lease>> LoadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Lease>>([.. _byClient.Values]);
        }
    }

    public Task SaveAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RemoveClient(lease.ClientKey);
            if (_clientByAddress.TryGetValue(lease.Address, out string? holder))
            {
                RemoveClient(holder);
            }

            _byClient[lease.ClientKey] = lease;
            _clientByAddress[lease.Address] = lease.ClientKey;
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string clientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RemoveClient(clientKey);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>For the log: leases kept in memory only are lost at exit.</summary>
    public override string ToString() => "memory (not persisted)";

    private void RemoveClient(string clientKey)
    {
        if (_byClient.Remove(clientKey, out Lease? old))
        {
            _clientByAddress.Remove(old.Address);
        }
    }
}
