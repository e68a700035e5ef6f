using System.Collections.Concurrent;

namespace SharpPxe.Diagnostics;

/// <summary>The one place every service's counters live; a singleton in the host.</summary>
public sealed class CounterRegistry
{
    private readonly ConcurrentDictionary<string, ServiceCounters> _services = new(StringComparer.Ordinal);

    /// <summary>The counters of <paramref name="service"/>, made on first use.</summary>
    public ServiceCounters For(string service) => _services.GetOrAdd(service, name => new ServiceCounters(name));

    /// <summary>Every service that has counters, in name order.</summary>
    public IReadOnlyList<ServiceCounters> All =>
        _services.Values.OrderBy(c => c.Service, StringComparer.Ordinal).ToList();
}
