using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SharpPxe.Config;
using SharpPxe.Dhcp;
using SharpPxe.Leases;
using SharpPxe.Http;
using SharpPxe.Tftp;

namespace SharpPxe.Hosting;

/// <summary>
/// The services of SharpPXE in start order. A service whose <see cref="PxeService.Register"/> is null is not
/// built yet: its flags are accepted, and enabling it stops the program at start with one line saying so.
/// </summary>
public static class PxeServices
{
    public static readonly IReadOnlyList<PxeService> All =
    [
        new("dhcp", "DHCP", o => o.Dhcp.Mode != DhcpMode.Off, "leave out --dhcp and --dhcp-proxy", RegisterDhcp),

        new("tftp", "TFTP", o => o.Tftp.Enabled, "add --no-tftp", RegisterTftp),

        new("http", "HTTP", o => o.Http.Enabled, "leave out --http", RegisterHttp),

        new("nbd", "NBD", o => o.Nbd.Enabled, "leave out --nbd", null),
    ];

    private static void RegisterDhcp(IServiceCollection services, SharpPxeOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Func<SharpPxeOptions, ILeaseStore>>(provider => o => SqliteLeaseStore.Open(
            o.EffectiveStateDir,
            o.Dhcp.LeaseSync,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("SharpPxe.Leases")));
        services.AddSingleton<DhcpService>();
        services.AddHostedService(provider => provider.GetRequiredService<DhcpService>());
    }

    private static void RegisterTftp(IServiceCollection services, SharpPxeOptions options)
    {
        services.AddSingleton<TftpService>();
        services.AddHostedService(provider => provider.GetRequiredService<TftpService>());
    }

    private static void RegisterHttp(IServiceCollection services, SharpPxeOptions options)
    {
        services.AddSingleton<HttpBootService>();
        services.AddHostedService(provider => provider.GetRequiredService<HttpBootService>());
    }

    /// <summary>The services the configuration enables.</summary>
    public static IReadOnlyList<PxeService> Enabled(SharpPxeOptions options) =>
        All.Where(s => s.IsEnabled(options)).ToList();

    /// <summary>
    /// One line per enabled service that this version cannot run; empty when all can run. A configuration that
    /// enables no service at all gets one line too, since a server with nothing to serve is a mistake.
    /// </summary>
    public static IReadOnlyList<string> Problems(SharpPxeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<PxeService> enabled = Enabled(options);
        if (enabled.Count == 0)
        {
            return ["no service is enabled; turn one on with --tftp, --dhcp, --dhcp-proxy, --http or --nbd"];
        }

        return enabled.Where(s => !s.IsAvailable)
            .Select(s => $"the {s.Title} service is not available yet in this version of SharpPXE; {s.DisableHint}")
            .ToList();
    }
}
