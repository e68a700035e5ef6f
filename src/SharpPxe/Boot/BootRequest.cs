using System.Net;

namespace SharpPxe.Boot;

/// <summary>Who is asking to boot, as far as the boot policy cares.</summary>
/// <param name="Mac">aa:bb:cc:dd:ee:ff.</param>
/// <param name="Architecture">Option 93 (RFC 4578 §2.1), or null when the client sent none.</param>
/// <param name="UserClasses">Option 77's classes (RFC 3004), raw or list form, e.g. ["iPXE"].</param>
/// <param name="VendorClass">Option 60, e.g. "PXEClient:Arch:00007:UNDI:003000" or "HTTPClient:Arch:00016...".</param>
/// <param name="HasIpxeOption175">Whether option 175 (iPXE's encapsulated options) was present.</param>
/// <param name="ClientAddress">The client's address when known (ciaddr, the lease), else null.</param>
public sealed record BootRequest(
    string Mac,
    ushort? Architecture,
    IReadOnlyList<string> UserClasses,
    string? VendorClass,
    bool HasIpxeOption175,
    IPAddress? ClientAddress);
