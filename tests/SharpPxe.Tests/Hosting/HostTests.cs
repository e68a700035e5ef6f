using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpPxe.Config;
using SharpPxe.Diagnostics;
using SharpPxe.Hosting;
using SharpPxe.Net;

namespace SharpPxe.Tests.Hosting;

public class HostTests
{
    [Fact]
    public async Task RunAsync_ServiceFailsToStart_StopsTheOthersAndExitsOne()
    {
        var journal = new ConcurrentQueue<string>();
        using IHost host = SharpPxeHost.Create(QuietOptions(), configure: services =>
        {
            services.AddSingleton(journal);
            services.AddHostedService<FirstService>();
            services.AddHostedService<FailingService>();
        });
        using var error = new StringWriter();

        int exitCode = await SharpPxeHost.RunAsync(host, error);

        Assert.Equal(SharpPxeHost.ExitFailure, exitCode);
        Assert.Equal(["first started", "failing start", "first stopped"], journal.Where(e => e != "failing stopped"));
        string[] lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        Assert.Equal("sharppxe: error: TFTP could not listen on 127.0.0.1:69 (UDP): the port is already in use; "
            + "stop the other server", line);
    }

    [Fact]
    public async Task RunAsync_Stopped_ExitsZeroAndSummarisesCounters()
    {
        var capture = new CapturingLoggerProvider();
        using IHost host = SharpPxeHost.Create(QuietOptions(), configure: services =>
            services.AddSingleton<ILoggerProvider>(capture));
        host.Services.GetRequiredService<CounterRegistry>().For("tftp").CountRequest();
        using CancellationTokenSource stop = StopSoonAfterStart(host);
        using var error = new StringWriter();

        int exitCode = await SharpPxeHost.RunAsync(host, error, stop.Token);

        Assert.Equal(SharpPxeHost.ExitOk, exitCode);
        Assert.Empty(error.ToString());
        Assert.Contains(capture.Lines,
            l => l.StartsWith("SharpPXE ", StringComparison.Ordinal) && l.Contains("serving"));
        Assert.Contains("tftp: 1 requests, 0 replies, 0 dropped", capture.Lines);
    }

    [Fact]
    public void UdpSockets_PortInUse_SaysWhichServicePortAndRemedy()
    {
        using Socket taken = UdpSockets.Bind("DHCP", new IPEndPoint(IPAddress.Loopback, 0), "--dhcp-server-port");
        var endpoint = (IPEndPoint)taken.LocalEndPoint!;

        ServiceStartException ex = Assert.Throws<ServiceStartException>(
            () => UdpSockets.Bind("DHCP", endpoint, "--dhcp-server-port"));

        Assert.Equal("DHCP", ex.Service);
        Assert.Contains($"DHCP could not listen on 127.0.0.1:{endpoint.Port} (UDP): the port is already in use",
            ex.Message, StringComparison.Ordinal);
        Assert.Contains("--dhcp-server-port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenFailures_PrivilegedPortDenied_NamesTheRemedy()
    {
        var denied = new SocketException((int)SocketError.AccessDenied);

        ServiceStartException ex =
            ListenFailures.From("TFTP", new IPEndPoint(IPAddress.Any, 69), "--tftp-port", denied);

        Assert.Equal("TFTP could not listen on 0.0.0.0:69 (UDP): permission denied; run as root, grant "
            + "CAP_NET_BIND_SERVICE (setcap cap_net_bind_service+ep), or use a port from 1024 up with --tftp-port",
            ex.Message);
    }

    [Fact]
    public void ListenFailures_HttpPort_SaysTcp()
    {
        var inUse = new SocketException((int)SocketError.AddressAlreadyInUse);

        ServiceStartException ex = ListenFailures.From("HTTP", new IPEndPoint(IPAddress.Any, 80), "--http-port", inUse);

        Assert.StartsWith("HTTP could not listen on 0.0.0.0:80 (TCP): the port is already in use", ex.Message,
            StringComparison.Ordinal);
    }

    /// <summary>
    /// A token that stops the host shortly after it has started (so its start-up lines are written, however slow
    /// the machine), and in any case within 30 s.
    /// </summary>
    internal static CancellationTokenSource StopSoonAfterStart(IHost host)
    {
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(
            () => stop.CancelAfter(TimeSpan.FromMilliseconds(100)));
        return stop;
    }

    private static SharpPxeOptions QuietOptions()
    {
        var options = ConfigJson.ToOptions(new ConfigBuilder().Values);
        options.Tftp.Enabled = false;
        return options;
    }

    private sealed class FirstService(ConcurrentQueue<string> journal) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            journal.Enqueue("first started");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            journal.Enqueue("first stopped");
            return Task.CompletedTask;
        }
    }

    private sealed class FailingService(ConcurrentQueue<string> journal) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            journal.Enqueue("failing start");
            throw new ServiceStartException("TFTP", "127.0.0.1:69 (UDP)", "the port is already in use",
                "stop the other server");
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            journal.Enqueue("failing stopped");
            return Task.CompletedTask;
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => lines.Enqueue(formatter(state, exception));
        }
    }
}
