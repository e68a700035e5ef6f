using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SharpPxe.Config;
using SharpPxe.Diagnostics;

namespace SharpPxe.Hosting;

/// <summary>
/// Builds the Generic Host that runs the enabled services together, and runs it: SIGINT and SIGTERM stop every
/// service cleanly (exit 0); a service that cannot start stops all of them (exit 1), so nothing half-runs.
/// No configuration file or environment is read here: the options arrive complete.
/// </summary>
public static class SharpPxeHost
{
    /// <summary>Exit code of a clean stop.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code of a failure at run time, such as a port in use.</summary>
    public const int ExitFailure = 1;

    /// <summary>Exit code of a bad command line or configuration.</summary>
    public const int ExitUsage = 2;

    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Creates the host. <paramref name="configure"/> adds services of the caller's (tests use it to add their
    /// own); <paramref name="syslogTarget"/> is the resolved --syslog endpoint, if any.
    /// </summary>
    public static IHost Create(
        SharpPxeOptions options, IPEndPoint? syslogTarget = null, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

        LoggingSetup.Configure(builder.Logging, options.Logging, syslogTarget);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = s_shutdownTimeout;
            o.ServicesStartConcurrently = false;
            o.ServicesStopConcurrently = true;
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<CounterRegistry>();
        builder.Services.AddSingleton<Boot.MachineDirectory>();
        builder.Services.AddSingleton<Events.BootTimeline>();

        foreach (PxeService service in PxeServices.Enabled(options))
        {
            service.Register?.Invoke(builder.Services, options);
        }

        configure?.Invoke(builder.Services);
        builder.Services.AddHostedService<LifecycleLogger>();
        return builder.Build();
    }

    /// <summary>
    /// Starts every service, then waits for SIGINT or SIGTERM (or <paramref name="cancellationToken"/>). If a
    /// service fails to start, the ones already started are stopped, one line goes to
    /// <paramref name="error"/>, and the result is <see cref="ExitFailure"/>.
    /// </summary>
    public static async Task<int> RunAsync(IHost host, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceStartException ex)
        {
            await error.WriteLineAsync($"sharppxe: error: {ex.Message}").ConfigureAwait(false);
            using var stopping = new CancellationTokenSource(s_shutdownTimeout);
            await host.StopAsync(stopping.Token).ConfigureAwait(false);
            return ExitFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitOk;
        }

        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return ExitOk;
    }
}
