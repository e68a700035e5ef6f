namespace SharpPxe.Config;

/// <summary>How durable a lease is before its DHCPACK leaves.</summary>
public enum LeaseSync
{
    /// <summary>Written to the operating system (SQLite WAL, no fsync): survives the process being killed.</summary>
    Os,

    /// <summary>Also fsynced: survives a power loss, at the cost of one disk flush per batch of leases.</summary>
    Fsync,
}
