using System.Net;

namespace SharpPxe.Boot;

/// <summary>What is known of one machine: its MAC, its address, and what its firmware said at DHCP time.</summary>
/// <param name="Mac">aa:bb:cc:dd:ee:ff.</param>
/// <param name="Address">Its IPv4 address.</param>
/// <param name="Architecture">Option 93 from its last DHCP message, when seen.</param>
/// <param name="HostName">Option 12 from its last DHCP message, when sent.</param>
public sealed record MachineInfo(string Mac, IPAddress Address, ushort? Architecture, string? HostName);
