using Microsoft.Extensions.DependencyInjection;
using SharpPxe.Config;

namespace SharpPxe.Hosting;

/// <summary>
/// One service SharpPXE can run, whether the configuration enables it, and how to add it to the host.
/// </summary>
/// <param name="Name">The service's short name, as --debug and the counters use it.</param>
/// <param name="Title">The name users read: DHCP, TFTP, HTTP, NBD.</param>
/// <param name="IsEnabled">Whether the configuration turns the service on.</param>
/// <param name="DisableHint">How a user turns it off.</param>
/// <param name="Register">Adds the service to the host; null while the service is not built yet.</param>
public sealed record PxeService(
    string Name,
    string Title,
    Func<SharpPxeOptions, bool> IsEnabled,
    string DisableHint,
    Action<IServiceCollection, SharpPxeOptions>? Register)
{
    public bool IsAvailable => Register is not null;
}
