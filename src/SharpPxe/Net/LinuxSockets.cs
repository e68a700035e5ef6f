using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpPxe.Net;

/// <summary>
/// The socket calls .NET does not offer: sendmsg(2) with an IP_PKTINFO control message, which picks the
/// interface and source address of one datagram (so a reply leaves by the interface its request came in on);
/// sendmsg(2) with a UDP_SEGMENT control message, which sends many datagrams in one call; and the SIOCSARP
/// ioctl, which puts a neighbour entry in place so a reply can be unicast to a client that has no address yet
/// (RFC 2131 §4.1; dnsmasq does the same). Linux x86-64 and arm64 layouts.
/// </summary>
internal static partial class LinuxSockets
{
    private const int IpProtocolIp = 0;          // IPPROTO_IP
    private const int IpPacketInfo = 8;          // IP_PKTINFO
    private const int IpReceiveErrors = 11;      // IP_RECVERR
    private const int IpProtocolUdp = 17;        // IPPROTO_UDP (SOL_UDP)
    private const int UdpSegment = 103;          // UDP_SEGMENT
    private const ushort AddressFamilyInet = 2;  // AF_INET
    private const ushort HardwareEther = 1;      // ARPHRD_ETHER
    private const int ArpFlagComplete = 0x02;    // ATF_COM
    private const uint SetArpRequest = 0x8955;   // SIOCSARP
    private const int InterfaceNameSize = 16;    // IFNAMSIZ
    private const int Eagain = 11;
    private const int SocketLevel = 1;           // SOL_SOCKET
    private const int ReceiveTimeoutOption = 20; // SO_RCVTIMEO (struct timeval: two longs on 64-bit Linux)

    /// <summary>Whether the direct calls can be used here (Linux on a 64-bit process).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>
    /// Sends <paramref name="datagram"/> to <paramref name="destination"/> out of interface
    /// <paramref name="interfaceIndex"/> (0: routing decides) with source address <paramref name="source"/>
    /// (null: the kernel chooses). Returns false when the kernel would block (the send buffer is full).
    /// </summary>
    public static unsafe bool SendTo(
        Socket socket, ReadOnlySpan<byte> datagram, IPEndPoint destination, int interfaceIndex, IPAddress? source)
    {
        SockaddrIn address = ToSockaddr(destination);
        PacketInfoControl control = default;
        control.Header.Length = (nuint)(sizeof(ControlHeader) + sizeof(InPacketInfo));
        control.Header.Level = IpProtocolIp;
        control.Header.Type = IpPacketInfo;
        control.Info.InterfaceIndex = interfaceIndex;
        control.Info.SpecificDestination = source is null ? 0 : ToInAddr(source);

        fixed (byte* data = datagram)
        {
            var vector = new IoVector { Base = data, Length = (nuint)datagram.Length };
            return Send(socket, &address, &vector, 1, &control, (nuint)sizeof(PacketInfoControl));
        }
    }

    /// <summary>An IPv4 address and port in the kernel's form, made once for many <see cref="SendTo(Socket,
    /// ReadOnlySpan{byte}, ReadOnlySpan{byte}, in Ipv4Destination)"/> calls.</summary>
    public readonly struct Ipv4Destination(IPEndPoint endpoint)
    {
        private readonly SockaddrIn _address = ToSockaddr(endpoint);

        internal SockaddrIn Address => _address;
    }

    /// <summary>
    /// Sends one datagram made of <paramref name="header"/> followed by <paramref name="data"/> (gathered by the
    /// kernel: the data is not copied into a packet buffer first). Returns false when the kernel would block.
    /// </summary>
    /// <exception cref="SocketException">The kernel refused the send.</exception>
    public static unsafe bool SendTo(
        Socket socket, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, in Ipv4Destination destination)
    {
        SockaddrIn address = destination.Address;
        fixed (byte* head = header)
        fixed (byte* body = data)
        {
            IoVector* vectors = stackalloc IoVector[2];
            vectors[0] = new IoVector { Base = head, Length = (nuint)header.Length };
            vectors[1] = new IoVector { Base = body, Length = (nuint)data.Length };
            return Send(socket, &address, vectors, data.IsEmpty ? 1u : 2u, null, 0);
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> with recvfrom(2) and tells whether it came from
    /// <paramref name="expected"/>; <paramref name="source"/> is the sender when it did not (else null). Returns the
    /// length, or -1 when the kernel would block or its receive timeout (SO_RCVTIMEO) ran out.
    /// </summary>
    /// <exception cref="SocketException">Any other failure (an ICMP error for the peer, say).</exception>
    public static unsafe int ReceiveFrom(
        Socket socket, Span<byte> buffer, in Ipv4Destination expected, out IPEndPoint? source)
    {
        SockaddrIn from = default;
        uint fromLength = (uint)sizeof(SockaddrIn);
        nint received;
        fixed (byte* data = buffer)
        {
            received = ReceiveFrom(
                socket.SafeHandle.DangerousGetHandle(), data, (nuint)buffer.Length, 0, &from, &fromLength);
        }

        if (received < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            source = null;
            return errno == Eagain ? -1 : throw Error(errno);
        }

        SockaddrIn want = expected.Address;
        bool same = from.Family == want.Family && from.Port == want.Port && from.Address == want.Address;
        source = same ? null : new IPEndPoint(
            new IPAddress(from.Address), BinaryPrimitives.ReverseEndianness(from.Port));
        return (int)received;
    }

    /// <summary>Sets the receive timeout (SO_RCVTIMEO) in the kernel: blocking receives end after it.</summary>
    public static void SetReceiveTimeout(Socket socket, TimeSpan timeout)
    {
        Span<byte> value = stackalloc byte[16];
        long microseconds = (long)timeout.TotalMicroseconds;
        BinaryPrimitives.WriteInt64LittleEndian(value, microseconds / 1_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], microseconds % 1_000_000);
        socket.SetRawSocketOption(SocketLevel, ReceiveTimeoutOption, value);
    }

    /// <summary>
    /// Sends <paramref name="datagrams"/> — datagrams of <paramref name="segmentSize"/> octets laid end to end,
    /// the last possibly shorter — to <paramref name="destination"/> in one call, with a UDP_SEGMENT control
    /// message: the kernel cuts the buffer into one datagram per segment (UDP segmentation offload, Linux 4.18+).
    /// Returns false when the kernel would block (a non-blocking socket whose send buffer is full).
    /// </summary>
    /// <exception cref="SocketException">The kernel refused the send, e.g. no segmentation on this route.</exception>
    public static unsafe bool SendSegmented(
        Socket socket, ReadOnlySpan<byte> datagrams, IPEndPoint destination, int segmentSize)
    {
        SockaddrIn address = ToSockaddr(destination);
        SegmentControl control = default;
        control.Header.Length = (nuint)(sizeof(ControlHeader) + sizeof(ushort));
        control.Header.Level = IpProtocolUdp;
        control.Header.Type = UdpSegment;
        control.SegmentSize = checked((ushort)segmentSize);

        fixed (byte* data = datagrams)
        {
            var vector = new IoVector { Base = data, Length = (nuint)datagrams.Length };
            return Send(socket, &address, &vector, 1, &control, (nuint)sizeof(SegmentControl));
        }
    }

    /// <summary>
    /// Puts a complete ARP entry <paramref name="address"/> → <paramref name="mac"/> on interface
    /// <paramref name="interfaceName"/>. Needs CAP_NET_ADMIN; returns false when the kernel refuses.
    /// </summary>
    public static unsafe bool SetNeighbour(
        Socket socket, IPAddress address, ReadOnlySpan<byte> mac, string interfaceName)
    {
        ArpRequest request = default;
        request.ProtocolAddress = ToSockaddr(new IPEndPoint(address, 0));
        request.HardwareFamily = HardwareEther;
        for (int i = 0; i < mac.Length && i < 14; i++)
        {
            request.HardwareData[i] = mac[i];
        }

        request.Flags = ArpFlagComplete;
        byte[] name = Encoding.ASCII.GetBytes(interfaceName);
        for (int i = 0; i < name.Length && i < InterfaceNameSize - 1; i++)
        {
            request.Device[i] = name[i];
        }

        return IoControl(socket.SafeHandle.DangerousGetHandle(), SetArpRequest, &request) == 0;
    }

    private static SockaddrIn ToSockaddr(IPEndPoint endpoint) => new()
    {
        Family = AddressFamilyInet,
        Port = BinaryPrimitives.ReverseEndianness((ushort)endpoint.Port),
        Address = ToInAddr(endpoint.Address),
    };

    /// <summary>An in_addr holds the address in network order, i.e. its bytes as they are.</summary>
    private static uint ToInAddr(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return MemoryMarshal.Read<uint>(bytes);
    }

    /// <summary>
    /// Asks the kernel to report ICMP errors (port or host unreachable) for this unconnected UDP socket
    /// (IP_RECVERR): the next receive or send then fails with the error, so a peer that is gone is noticed at once.
    /// </summary>
    public static void ReportIcmpErrors(Socket socket) =>
        socket.SetRawSocketOption(IpProtocolIp, IpReceiveErrors, BitConverter.GetBytes(1));

    /// <summary>A SocketException whose SocketErrorCode says what the Linux errno means.</summary>
    private static SocketException Error(int errno) => new((int)(errno switch
    {
        104 => SocketError.ConnectionReset,      // ECONNRESET
        111 => SocketError.ConnectionRefused,    // ECONNREFUSED
        113 => SocketError.HostUnreachable,      // EHOSTUNREACH
        101 => SocketError.NetworkUnreachable,   // ENETUNREACH
        90 => SocketError.MessageSize,           // EMSGSIZE
        22 => SocketError.InvalidArgument,       // EINVAL
        _ => SocketError.SocketError,
    }));

    /// <summary>One sendmsg(2) call: true when sent, false when the kernel would block; throws otherwise.</summary>
    private static unsafe bool Send(
        Socket socket, SockaddrIn* address, IoVector* vectors, nuint vectorCount, void* control, nuint controlLength)
    {
        var message = new MessageHeader
        {
            Name = address,
            NameLength = (uint)sizeof(SockaddrIn),
            Vector = vectors,
            VectorLength = vectorCount,
            Control = control,
            ControlLength = controlLength,
        };
        if (SendMessage(socket.SafeHandle.DangerousGetHandle(), &message, 0) >= 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Eagain ? false : throw Error(errno);
    }

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static unsafe partial nint ReceiveFrom(
        nint socket, byte* buffer, nuint length, int flags, SockaddrIn* from, uint* fromLength);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static unsafe partial nint SendMessage(nint socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int IoControl(nint descriptor, nuint request, ArpRequest* argument);

    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrIn
    {
        public ushort Family;
        public ushort Port;
        public uint Address;
        public ulong Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vector;
        public nuint VectorLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct InPacketInfo
    {
        public int InterfaceIndex;
        public uint SpecificDestination;
        public uint Address;
    }

    /// <summary>CMSG_SPACE(sizeof(in_pktinfo)): a header, then the info padded to 8 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 32)]
    private struct PacketInfoControl
    {
        public ControlHeader Header;
        public InPacketInfo Info;
    }

    /// <summary>CMSG_SPACE(sizeof(uint16_t)): a header, then the segment size padded to 8 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 24)]
    private struct SegmentControl
    {
        public ControlHeader Header;
        public ushort SegmentSize;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ArpRequest
    {
        public SockaddrIn ProtocolAddress;
        public ushort HardwareFamily;
        public fixed byte HardwareData[14];
        public int Flags;
        public SockaddrIn Netmask;
        public fixed byte Device[InterfaceNameSize];
    }
}
