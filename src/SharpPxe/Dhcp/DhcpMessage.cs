using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace SharpPxe.Dhcp;

/// <summary>
/// A BOOTP/DHCP message: the fixed header of RFC 2131 §2 (Figure 1) and an ordered list of options.
/// Parse with <see cref="TryParse"/>, write with <see cref="TryWriteTo(Span{byte}, int, out int)"/>.
/// </summary>
/// <remarks>
/// RFC 951 (BOOTP), RFC 1542 (BOOTP clarifications), RFC 2131 (DHCP), RFC 2132 (options),
/// RFC 3396 (long options), RFC 3004 (user class), RFC 3046 (relay agent information),
/// RFC 4578 (PXE options 93, 94, 97).
/// </remarks>
public sealed partial class DhcpMessage
{
    /// <summary>Length of the fixed header up to and including file (RFC 2131 §2).</summary>
    public const int FixedHeaderLength = 236;

    /// <summary>Offset of the first option, after the magic cookie (RFC 2131 §3).</summary>
    public const int OptionsOffset = FixedHeaderLength + MagicCookieLength;

    /// <summary>
    /// The shortest message written: a BOOTP relay agent may drop anything shorter (RFC 1542 §2.1).
    /// </summary>
    public const int MinimumMessageLength = 300;

    /// <summary>Size of the chaddr field (RFC 2131 §2).</summary>
    public const int ClientHardwareAddressFieldLength = 16;

    /// <summary>Size of the sname field (RFC 2131 §2).</summary>
    public const int ServerNameFieldLength = 64;

    /// <summary>Size of the file field (RFC 2131 §2).</summary>
    public const int BootFileFieldLength = 128;

    /// <summary>The magic cookie 99.130.83.99 (RFC 2131 §3, RFC 2132 §2).</summary>
    public const uint MagicCookie = 0x63825363;

    /// <summary>htype for Ethernet (RFC 1700, "Hardware Type").</summary>
    public const byte EthernetHardwareType = 1;

    /// <summary>hlen for Ethernet: a 6-octet MAC.</summary>
    public const byte EthernetAddressLength = 6;

    /// <summary>The broadcast bit of the flags field (RFC 2131 §2, Figure 2).</summary>
    public const ushort BroadcastFlagMask = 0x8000;

    private const int MagicCookieLength = 4;
    private const int Ipv4Length = 4;

    // Offsets of the fixed header, RFC 2131 §2 Figure 1.
    private const int OpOffset = 0;
    private const int HtypeOffset = 1;
    private const int HlenOffset = 2;
    private const int HopsOffset = 3;
    private const int XidOffset = 4;
    private const int SecsOffset = 8;
    private const int FlagsOffset = 10;
    private const int CiaddrOffset = 12;
    private const int YiaddrOffset = 16;
    private const int SiaddrOffset = 20;
    private const int GiaddrOffset = 24;
    private const int ChaddrOffset = 28;
    private const int SnameOffset = ChaddrOffset + ClientHardwareAddressFieldLength;
    private const int FileOffset = SnameOffset + ServerNameFieldLength;

    private readonly byte[] _chaddr = new byte[ClientHardwareAddressFieldLength];
    private readonly byte[] _sname = new byte[ServerNameFieldLength];
    private readonly byte[] _file = new byte[BootFileFieldLength];
    private readonly List<DhcpOption> _options = [];

    private IPAddress _ciaddr = IPAddress.Any;
    private IPAddress _yiaddr = IPAddress.Any;
    private IPAddress _siaddr = IPAddress.Any;
    private IPAddress _giaddr = IPAddress.Any;

    /// <summary>op: BOOTREQUEST or BOOTREPLY.</summary>
    public BootpOp Operation { get; set; } = BootpOp.BootRequest;

    /// <summary>htype: hardware address type (1 = Ethernet).</summary>
    public byte HardwareType { get; set; } = EthernetHardwareType;

    /// <summary>hlen: octets of chaddr in use; set by <see cref="SetClientHardwareAddress"/>.</summary>
    public byte HardwareAddressLength { get; private set; }

    /// <summary>hops: relay agents passed.</summary>
    public byte Hops { get; set; }

    /// <summary>xid: transaction id chosen by the client.</summary>
    public uint TransactionId { get; set; }

    /// <summary>secs: seconds since the client began acquisition or renewal.</summary>
    public ushort Seconds { get; set; }

    /// <summary>flags: the whole 16-bit field; see <see cref="BroadcastFlag"/>.</summary>
    public ushort Flags { get; set; }

    /// <summary>The B bit of flags: the client cannot receive unicast before it is configured.</summary>
    public bool BroadcastFlag
    {
        get => (Flags & BroadcastFlagMask) != 0;
        set => Flags = value ? (ushort)(Flags | BroadcastFlagMask) : (ushort)(Flags & ~BroadcastFlagMask);
    }

    /// <summary>ciaddr: the client's address when it already has one.</summary>
    public IPAddress ClientIpAddress
    {
        get => _ciaddr;
        set => _ciaddr = RequireIpv4(value);
    }

    /// <summary>yiaddr: "your" address, the one offered or assigned.</summary>
    public IPAddress YourIpAddress
    {
        get => _yiaddr;
        set => _yiaddr = RequireIpv4(value);
    }

    /// <summary>siaddr: the next server in the boot (the TFTP server).</summary>
    public IPAddress NextServerIpAddress
    {
        get => _siaddr;
        set => _siaddr = RequireIpv4(value);
    }

    /// <summary>giaddr: the relay agent's address, 0.0.0.0 when not relayed.</summary>
    public IPAddress RelayAgentIpAddress
    {
        get => _giaddr;
        set => _giaddr = RequireIpv4(value);
    }

    /// <summary>The first hlen octets of chaddr.</summary>
    public ReadOnlySpan<byte> ClientHardwareAddress => _chaddr.AsSpan(0, HardwareAddressLength);

    /// <summary>
    /// The client MAC as "aa:bb:cc:dd:ee:ff" when htype is Ethernet and hlen is 6, else null.
    /// </summary>
    public string? ClientMacAddress =>
        HardwareType == EthernetHardwareType && HardwareAddressLength == EthernetAddressLength
            ? FormatHardwareAddress(ClientHardwareAddress)
            : null;

    /// <summary>
    /// sname as text up to its first NUL. Empty when the field carried options (overload).
    /// Setting checks that the UTF-8 text and its NUL fit in 64 octets.
    /// </summary>
    public string ServerHostName
    {
        get => ReadNulTerminated(_sname);
        set => WriteNulTerminated(_sname, value, nameof(ServerHostName));
    }

    /// <summary>
    /// file as text up to its first NUL. Empty when the field carried options (overload).
    /// Setting checks that the UTF-8 text and its NUL fit in 128 octets.
    /// </summary>
    public string BootFileName
    {
        get => ReadNulTerminated(_file);
        set => WriteNulTerminated(_file, value, nameof(BootFileName));
    }

    /// <summary>Which fields carried options in the parsed datagram; the writer chooses its own.</summary>
    public DhcpOptionOverload ParsedOverload { get; private set; }

    /// <summary>Sets htype, hlen and chaddr (the rest of chaddr is zeroed).</summary>
    /// <exception cref="ArgumentException">The address is longer than 16 octets.</exception>
    public void SetClientHardwareAddress(ReadOnlySpan<byte> address, byte hardwareType = EthernetHardwareType)
    {
        // RFC 2131 §2: chaddr is 16 octets, hlen counts the ones in use.
        if (address.Length > ClientHardwareAddressFieldLength)
        {
            throw new ArgumentException("A hardware address has at most 16 octets.", nameof(address));
        }

        Array.Clear(_chaddr);
        address.CopyTo(_chaddr);
        HardwareAddressLength = (byte)address.Length;
        HardwareType = hardwareType;
    }

    /// <summary>Formats octets as lower-case hex pairs joined by colons.</summary>
    public static string FormatHardwareAddress(ReadOnlySpan<byte> address)
    {
        if (address.IsEmpty)
        {
            return string.Empty;
        }

        const int CharsPerOctet = 3;
        Span<char> chars = stackalloc char[(address.Length * CharsPerOctet) - 1];
        for (int i = 0; i < address.Length; i++)
        {
            if (i > 0)
            {
                chars[(i * CharsPerOctet) - 1] = ':';
            }

            chars[i * CharsPerOctet] = HexDigit(address[i] >> 4);
            chars[(i * CharsPerOctet) + 1] = HexDigit(address[i] & 0xF);
        }

        return new string(chars);
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static IPAddress RequireIpv4(IPAddress value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("DHCPv4 carries IPv4 addresses only.", name);
        }

        return value;
    }

    private static string ReadNulTerminated(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    private static void WriteNulTerminated(Span<byte> field, string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);

        // RFC 2131 §2: sname and file are "null terminated" strings, so one octet stays for the NUL.
        if (value.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(value) > field.Length - 1)
        {
            throw new ArgumentException($"The text must fit in {field.Length - 1} octets without NUL.", name);
        }

        field.Clear();
        Encoding.UTF8.GetBytes(value, field);
    }
}
