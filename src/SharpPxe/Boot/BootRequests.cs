using System.Net;
using SharpPxe.Dhcp;

namespace SharpPxe.Boot;

/// <summary>Builds <see cref="BootRequest"/>s from what the protocols received.</summary>
public static class BootRequests
{
    /// <summary>
    /// The boot request of a parsed DHCP or ProxyDHCP message: chaddr, option 93 (its first code; else the
    /// architecture in option 60's "PXEClient:Arch:NNNNN"), option 77's
    /// classes, option 60, whether option 175 is present, and ciaddr when it is not 0.0.0.0.
    /// </summary>
    /// <remarks>
    /// For a chaddr that is not a 6-octet Ethernet address, <see cref="BootRequest.Mac"/> is its octets in
    /// colon-separated hex (no static binding will match it; the rules still decide).
    /// </remarks>
    public static BootRequest FromDhcp(DhcpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string mac = message.ClientMacAddress
            ?? string.Join(':', message.ClientHardwareAddress.ToArray().Select(octet => octet.ToString("x2",
                System.Globalization.CultureInfo.InvariantCulture)));
        IPAddress? clientAddress = message.ClientIpAddress.Equals(IPAddress.Any) ? null : message.ClientIpAddress;
        return new BootRequest(
            mac,
            message.ClientSystemArchitecture ?? ArchitectureFromVendorClass(message.VendorClassIdentifier),
            message.GetUserClasses(),
            message.VendorClassIdentifier,
            message.HasOption(DhcpOptionCode.IpxeEncapsulated),
            clientAddress);
    }

    /// <summary>
    /// The architecture a PXE client names in option 60 ("PXEClient:Arch:00007:UNDI:003000", PXE 2.1 §2.2.1),
    /// for the few that leave out option 93; null when the text has none.
    /// </summary>
    public static ushort? ArchitectureFromVendorClass(string? vendorClass)
    {
        const string Marker = ":Arch:";
        const int Digits = 5;
        if (vendorClass is null)
        {
            return null;
        }

        int at = vendorClass.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || vendorClass.Length < at + Marker.Length + Digits)
        {
            return null;
        }

        ReadOnlySpan<char> digits = vendorClass.AsSpan(at + Marker.Length, Digits);
        return ushort.TryParse(digits, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out ushort code) ? code : null;
    }
}
