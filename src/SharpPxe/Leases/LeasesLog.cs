using System.Net;
using Microsoft.Extensions.Logging;
using SharpPxe.Config;

namespace SharpPxe.Leases;

/// <summary>The lease store's and the address pool's log lines (event ids 1400-1499).</summary>
internal static partial class LeasesLog
{
    [LoggerMessage(EventId = 1401, EventName = "LeaseStoreOpened", Level = LogLevel.Debug,
        Message = "Lease database {Path} opened (journal WAL, sync {Sync})")]
    public static partial void StoreOpened(ILogger logger, string path, LeaseSync sync);

    [LoggerMessage(EventId = 1402, EventName = "LeaseStoreWriteFailed", Level = LogLevel.Error,
        Message = "Lease database {Path}: writing a batch of {Count} changes failed")]
    public static partial void StoreWriteFailed(ILogger logger, string path, int count, Exception exception);

    [LoggerMessage(EventId = 1403, EventName = "LeaseStoreLoaded", Level = LogLevel.Debug,
        Message = "Lease records: {Bound} bound, {Declined} declined, {Expired} expired, {Ignored} outside the pool")]
    public static partial void Loaded(ILogger logger, int bound, int declined, int expired, int ignored);

    [LoggerMessage(EventId = 1404, EventName = "LeasesImported", Level = LogLevel.Debug,
        Message = "Imported {Imported} of {Offered} leases; the rest expired, outside the pool or taken")]
    public static partial void Imported(ILogger logger, int imported, int offered);

    [LoggerMessage(EventId = 1406, EventName = "LeaseRecordIgnored", Level = LogLevel.Debug,
        Message = "Stored lease of {Mac} for {Address} ignored: {Reason}")]
    public static partial void RecordIgnored(ILogger logger, string mac, IPAddress address, string reason);
}
