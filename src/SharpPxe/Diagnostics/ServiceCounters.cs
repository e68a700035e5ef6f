using System.Collections.Concurrent;
using System.Globalization;

namespace SharpPxe.Diagnostics;

/// <summary>
/// One service's counters: requests received, replies sent, packets dropped by reason, and named gauges
/// (open transfers, say). Thread-safe; read by tests and summarised in the log at shutdown.
/// </summary>
public sealed class ServiceCounters
{
    private readonly ConcurrentDictionary<string, long> _drops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _gauges = new(StringComparer.Ordinal);
    private long _requests;
    private long _replies;

    public ServiceCounters(string service)
    {
        Service = service;
    }

    /// <summary>The service's name: dhcp, tftp, http or nbd.</summary>
    public string Service { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public long Replies => Interlocked.Read(ref _replies);

    /// <summary>All drops, whatever the reason.</summary>
    public long Dropped => _drops.Values.Sum();

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountReply() => Interlocked.Increment(ref _replies);

    /// <summary>Counts one dropped packet; <paramref name="reason"/> is a stable word such as BadMagicCookie.</summary>
    public void CountDrop(string reason) => _drops.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>How many packets were dropped for <paramref name="reason"/>.</summary>
    public long DroppedFor(string reason) => _drops.GetValueOrDefault(reason);

    /// <summary>Drops by reason, in name order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> DropsByReason() =>
        _drops.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

    /// <summary>Moves a gauge such as "openTransfers" by <paramref name="delta"/>.</summary>
    public long AddToGauge(string name, long delta) => _gauges.AddOrUpdate(name, delta, (_, n) => n + delta);

    public long Gauge(string name) => _gauges.GetValueOrDefault(name);

    /// <summary>One line: "12 requests, 11 replies, 1 dropped (TooShort 1)".</summary>
    public string Summary()
    {
        string drops = Dropped == 0 ? "0 dropped"
            : $"{Dropped} dropped ({string.Join(", ", DropsByReason().Select(p => $"{p.Key} {p.Value}"))})";
        string gauges = _gauges.IsEmpty ? string.Empty
            : ", " + string.Join(", ", _gauges.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));
        return string.Create(CultureInfo.InvariantCulture, $"{Requests} requests, {Replies} replies, {drops}{gauges}");
    }
}
