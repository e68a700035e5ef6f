using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SharpPxe.Config;
using SharpPxe.Diagnostics;
using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// A <see cref="TftpService"/> in this process on 127.0.0.1 at an ephemeral port, serving
/// <see cref="LoopbackCorpus.Root"/> with a short retry budget (timeout 1 s, 2 retries: a silent client is
/// given up after 1 + 2 + 4 s). Each test class that uses it gets its own server and counters.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime.DisposeAsync stops and disposes it.")]
public sealed class LoopbackServerFixture : IAsyncLifetime
{
    public const int TimeoutSeconds = 1;
    public const int Retries = 2;

    private readonly CounterRegistry _registry = new();
    private TftpService? _service;

    /// <summary>The time after which every transfer must have ended: the whole retry budget, doubled.</summary>
    public static TimeSpan RetryBudget { get; } =
        TimeSpan.FromSeconds(2 * TimeoutSeconds * ((1 << (Retries + 1)) - 1));

    /// <summary>Where the server listens for requests.</summary>
    public IPEndPoint EndPoint => _service?.LocalEndPoint ?? throw new InvalidOperationException("Not started.");

    public int Port => EndPoint.Port;

    public ServiceCounters Counters => _registry.For("tftp");

    public long OpenTransfers => Counters.Gauge(TftpService.OpenTransfersGauge);

    public async Task InitializeAsync()
    {
        LoopbackCorpus.Acquire();
        SharpPxeOptions options = ConfigJson.ToOptions(new ConfigBuilder().Values);
        options.NetbootDir = LoopbackCorpus.Root;
        options.Tftp.ServerIp = IPAddress.Loopback;
        options.Tftp.Port = 0;
        options.Tftp.Timeout = TimeoutSeconds;
        options.Tftp.Retries = Retries;
        _service = new TftpService(options, _registry, NullLogger<TftpService>.Instance);
        await _service.StartAsync(CancellationToken.None);
    }

    /// <summary>Polls the open-transfers gauge until it is 0 or <paramref name="limit"/> has passed.</summary>
    /// <returns>The gauge's last value.</returns>
    public async Task<long> WaitForNoOpenTransfersAsync(TimeSpan limit)
    {
        await Poll.UntilAsync(() => OpenTransfers == 0, limit);
        return OpenTransfers;
    }

    /// <summary>
    /// Polls the drop counter for <paramref name="reason"/> until it reaches <paramref name="expected"/> or the
    /// retry budget has passed: the server counts on its own threads, after the test sent.
    /// </summary>
    /// <returns>The counter's last value.</returns>
    public async Task<long> WaitForDropsAsync(string reason, long expected)
    {
        await Poll.UntilAsync(() => Counters.DroppedFor(reason) >= expected, RetryBudget);
        return Counters.DroppedFor(reason);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_service is not null)
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _service.StopAsync(limit.Token);
                await _service.DisposeAsync();
            }
        }
        finally
        {
            LoopbackCorpus.Release();
        }
    }
}
