namespace SharpPxe.Leases;

/// <summary>
/// Where leases live between runs. <see cref="SaveAsync"/> completes only when the lease is durable to the
/// store's promise (in the operating system's hands, or on disk after fsync), so a DHCPACK sent after it can
/// never be lost by killing the process.
/// <para>
/// Calls take effect in the order they are made: a store takes the operation in before its first await. So a
/// caller may start <see cref="SaveAsync"/> and <see cref="DeleteAsync"/> under its own lock (cheap, never blocking)
/// and await the returned task after leaving it, and the stored state still follows its in-memory order.
/// </para>
/// </summary>
public interface ILeaseStore : IAsyncDisposable
{
    /// <summary>Every stored lease, expired ones included (the caller decides what to keep).</summary>
    Task<IReadOnlyList<Lease>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces the lease of <see cref="Lease.ClientKey"/>; also frees any other record for its address.
    /// </summary>
    Task SaveAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Removes the lease of a client (DHCPRELEASE).</summary>
    Task DeleteAsync(string clientKey, CancellationToken cancellationToken);
}
