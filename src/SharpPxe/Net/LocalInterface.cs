using System.Buffers.Binary;
using System.Net;

namespace SharpPxe.Net;

/// <summary>One IPv4 interface of this host.</summary>
/// <param name="Index">The kernel's interface index, as IP_PKTINFO reports it.</param>
/// <param name="Name">The name, e.g. eth0.</param>
/// <param name="Address">Its first IPv4 address.</param>
/// <param name="Mask">That address's netmask.</param>
/// <param name="Mtu">The interface's MTU in bytes (0 when unknown).</param>
public sealed record LocalInterface(int Index, string Name, IPAddress Address, IPAddress Mask, int Mtu = 0)
{
    /// <summary>Whether <paramref name="other"/> is on this interface's subnet.</summary>
    public bool Contains(IPAddress other)
    {
        ArgumentNullException.ThrowIfNull(other);
        uint mask = BinaryPrimitives.ReadUInt32BigEndian(Mask.GetAddressBytes());
        uint network = BinaryPrimitives.ReadUInt32BigEndian(Address.GetAddressBytes()) & mask;
        return (BinaryPrimitives.ReadUInt32BigEndian(other.GetAddressBytes()) & mask) == network;
    }
}
