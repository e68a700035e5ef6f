using System.Net;

namespace SharpPxe.Config;

/// <summary>
/// One machine's entry in PyPXE's static-binding file (<c>dhcp.binding.&lt;MAC&gt;</c>); every field is optional.
/// </summary>
/// <param name="Mac">The MAC address, normalised to aa:bb:cc:dd:ee:ff.</param>
/// <param name="Address">The fixed address (<c>ipaddr</c>).</param>
/// <param name="Subnet">The subnet mask (<c>subnet</c>).</param>
/// <param name="Router">The router (<c>router</c>).</param>
/// <param name="Dns">DNS servers (<c>dns</c>).</param>
/// <param name="BootFile">The boot file for this machine (<c>rom</c>).</param>
public sealed record StaticBinding(
    string Mac,
    IPAddress? Address,
    IPAddress? Subnet,
    IPAddress? Router,
    IReadOnlyList<IPAddress> Dns,
    string? BootFile);
