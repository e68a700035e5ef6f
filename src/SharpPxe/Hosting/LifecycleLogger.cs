using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpPxe.Config;
using SharpPxe.Diagnostics;

namespace SharpPxe.Hosting;

/// <summary>
/// Registered after every service: says that SharpPXE is up once all of them started, and once they have all
/// stopped summarises each service's counters, one line each.
/// </summary>
internal sealed class LifecycleLogger(
    SharpPxeOptions options,
    CounterRegistry counters,
    IHostApplicationLifetime lifetime,
    ILogger<LifecycleLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        string services = string.Join(", ", PxeServices.Enabled(options).Select(s => s.Title));
        string version = typeof(LifecycleLogger).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        if (logger.IsEnabled(LogLevel.Information))
        {
            string shortVersion = version.Split('+')[0];
            HostLog.Started(logger, shortVersion, services);
        }

        lifetime.ApplicationStopped.Register(LogSummary);
        if (options.Ipxe)
        {
            LogIpxeBinaries();
        }

        return Task.CompletedTask;
    }

    /// <summary>Which iPXE binaries chain loading hands out and where each comes from; a missing one warns.</summary>
    private void LogIpxeBinaries()
    {
        string root = Path.GetFullPath(options.NetbootDir);
        string bios = File.Exists(Path.Combine(root, Boot.BuiltInBootRules.ChainloadKpxe))
            ? Boot.BuiltInBootRules.ChainloadKpxe
            : Boot.BuiltInBootRules.UndionlyKpxe;
        foreach ((string machines, string name) in new[] { ("BIOS", bios), ("x64 UEFI", options.IpxeEfi) })
        {
            string local = Path.Combine(root, name);
            string? path = File.Exists(local) ? local : Boot.SystemIpxe.Find(name);
            if (path is null)
            {
                HostLog.IpxeBinaryMissing(logger, machines, name, root);
            }
            else
            {
                HostLog.IpxeBinaryFound(logger, machines, name, path);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        HostLog.Stopping(logger);
        return Task.CompletedTask;
    }

    private void LogSummary()
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        foreach (ServiceCounters service in counters.All)
        {
            string summary = service.Summary();
            HostLog.CounterSummary(logger, service.Service, summary);
        }
    }
}
