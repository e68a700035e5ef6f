using System.Buffers.Binary;
using System.Text;

namespace SharpPxe.Tftp;

/// <summary>
/// The TFTP wire format (RFC 1350 §5, RFC 2347 §2): request parsing (<see cref="TryParseRequest"/>), the
/// small packets a server reads (ACK, ERROR) and the ones it writes (DATA header, ERROR, OACK). All
/// numbers are in network order. Parsing never throws.
/// </summary>
public static partial class TftpPacket
{
    /// <summary>The opcode's two octets.</summary>
    public const int OpcodeLength = 2;

    /// <summary>Opcode and block number: the header in front of a DATA payload (RFC 1350 §5).</summary>
    public const int DataHeaderLength = 4;

    /// <summary>An ACK is an opcode and a block number (RFC 1350 §5).</summary>
    public const int AckLength = 4;

    /// <summary>
    /// Returns the opcode of <paramref name="datagram"/>, or null when it is shorter than two octets or the
    /// opcode is none of RFC 1350's and RFC 2347's six.
    /// </summary>
    public static TftpOpcode? PeekOpcode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < OpcodeLength)
        {
            return null;
        }

        ushort opcode = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        return opcode is >= (ushort)TftpOpcode.ReadRequest and <= (ushort)TftpOpcode.OptionAck
            ? (TftpOpcode)opcode
            : null;
    }

    /// <summary>
    /// Reads an ACK: opcode 4 and the block number (RFC 1350 §5). Octets after the block number are
    /// ignored (a padded ACK still says which block it acknowledges).
    /// </summary>
    public static bool TryParseAck(ReadOnlySpan<byte> datagram, out ushort block)
    {
        block = 0;
        if (datagram.Length < AckLength || PeekOpcode(datagram) != TftpOpcode.Ack)
        {
            return false;
        }

        block = BinaryPrimitives.ReadUInt16BigEndian(datagram[OpcodeLength..]);
        return true;
    }

    /// <summary>
    /// Reads an ERROR: opcode 5, the code, and the message up to its NUL (RFC 1350 §5). Lenient: a message
    /// without its NUL runs to the end of the datagram, a missing message is empty, and a code outside the
    /// table is kept as its number. The message is decoded as UTF-8 (invalid octets become U+FFFD).
    /// </summary>
    public static bool TryParseError(ReadOnlySpan<byte> datagram, out TftpErrorCode code, out string message)
    {
        code = TftpErrorCode.NotDefined;
        message = string.Empty;
        if (datagram.Length < OpcodeLength + 2 || PeekOpcode(datagram) != TftpOpcode.Error)
        {
            return false;
        }

        code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(datagram[OpcodeLength..]);
        ReadOnlySpan<byte> text = datagram[(OpcodeLength + 2)..];
        int nul = text.IndexOf((byte)0);
        message = Encoding.UTF8.GetString(nul < 0 ? text : text[..nul]);
        return true;
    }

    /// <summary>Writes the four-octet DATA header: opcode 3 and <paramref name="block"/> (RFC 1350 §5).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than four octets.</exception>
    public static void WriteDataHeader(Span<byte> destination, ushort block)
    {
        if (destination.Length < DataHeaderLength)
        {
            throw new ArgumentException("A DATA header needs four octets.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[OpcodeLength..], block);
    }

    /// <summary>
    /// Builds an ERROR packet: opcode 5, <paramref name="code"/>, <paramref name="message"/> in UTF-8 and a
    /// NUL (RFC 1350 §5). A NUL inside the message would end it early, so it is written as a space.
    /// </summary>
    public static byte[] Error(TftpErrorCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string text = message.Replace('\0', ' ');
        var packet = new byte[OpcodeLength + 2 + Encoding.UTF8.GetByteCount(text) + 1];
        BinaryPrimitives.WriteUInt16BigEndian(packet, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(OpcodeLength), (ushort)code);
        Encoding.UTF8.GetBytes(text, packet.AsSpan(OpcodeLength + 2));
        return packet;
    }

    /// <summary>
    /// Builds an OACK: opcode 6, then each option as name NUL value NUL (RFC 2347 §2), in the given order.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The list is empty (RFC 2347 §2 has no empty OACK: without options the server answers with DATA 1),
    /// or a name is empty, or a name or value contains a NUL.
    /// </exception>
    public static byte[] OptionAck(IReadOnlyList<KeyValuePair<string, string>> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count == 0)
        {
            throw new ArgumentException("An OACK needs at least one option; send DATA 1 instead.", nameof(options));
        }

        int length = OpcodeLength;
        foreach (KeyValuePair<string, string> option in options)
        {
            if (option.Key.Length == 0 || option.Key.Contains('\0', StringComparison.Ordinal)
                || option.Value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Option '{option.Key}' cannot be written.", nameof(options));
            }

            length += Encoding.UTF8.GetByteCount(option.Key) + 1 + Encoding.UTF8.GetByteCount(option.Value) + 1;
        }

        var packet = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, (ushort)TftpOpcode.OptionAck);
        int offset = OpcodeLength;
        foreach (KeyValuePair<string, string> option in options)
        {
            offset += Encoding.UTF8.GetBytes(option.Key, packet.AsSpan(offset)) + 1;
            offset += Encoding.UTF8.GetBytes(option.Value, packet.AsSpan(offset)) + 1;
        }

        return packet;
    }

    /// <summary>
    /// The ERROR a server should answer a rejected request with, or null when the datagram should be dropped
    /// silently (it is cut short or is not a request, so there is nothing sure to answer).
    /// </summary>
    public static TftpErrorCode? ReplyFor(TftpParseError error) => error switch
    {
        // RFC 1350 §5 names no error for a bad mode; "illegal TFTP operation" is the closest.
        TftpParseError.UnknownMode => TftpErrorCode.IllegalOperation,
        TftpParseError.EmptyFileName => TftpErrorCode.AccessViolation,
        // RFC 2347 §2: option trouble ends the negotiation with ERROR 8.
        TftpParseError.UnpairedOption or TftpParseError.EmptyOptionName or TftpParseError.TooManyOptions
            => TftpErrorCode.OptionNegotiationFailed,
        _ => null,
    };
}
