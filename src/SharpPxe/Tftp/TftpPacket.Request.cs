using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpPxe.Tftp;

/// <summary>Request parsing: <see cref="TryParseRequest"/>.</summary>
public static partial class TftpPacket
{
    /// <summary>
    /// The most option pairs a request may carry. Real clients send at most five or six (blksize, tsize,
    /// timeout, windowsize, multicast, rollover); more is a broken or hostile client.
    /// </summary>
    public const int MaxOptions = 64;

    /// <summary>
    /// Parses an RRQ or WRQ (the UDP payload). Never throws; on failure the reason is in
    /// <paramref name="error"/> (see <see cref="ReplyFor"/> for whether to answer it).
    /// </summary>
    /// <remarks>
    /// Layout (RFC 1350 §5): opcode, file name NUL, mode NUL; then (RFC 2347 §2) zero or more option pairs
    /// name NUL value NUL. Every field must end with its NUL: a field cut short cannot be told from a
    /// truncated datagram, so it is <see cref="TftpParseError.Unterminated"/> rather than guessed at.
    /// NUL octets after the last complete pair are padding and ignored (some ROMs pad requests).
    /// More than <see cref="MaxOptions"/> pairs reject the whole request (<see cref="TftpParseError.TooManyOptions"/>)
    /// rather than drop the tail silently: the client would otherwise get answers to a request it did not make.
    /// </remarks>
    public static bool TryParseRequest(
        ReadOnlySpan<byte> datagram,
        [NotNullWhen(true)] out TftpRequest? request,
        out TftpParseError error)
    {
        request = null;
        error = ParseHeader(datagram, out TftpOpcode opcode, out ReadOnlySpan<byte> name, out TftpMode mode,
            out ReadOnlySpan<byte> rest);
        if (error != TftpParseError.None)
        {
            return false;
        }

        var options = new List<KeyValuePair<string, string>>();
        int pairs = 0;
        while (!rest.IsEmpty)
        {
            int nameEnd = rest.IndexOf((byte)0);
            if (nameEnd == 0)
            {
                // An empty name: trailing NUL padding ends the request, anything else is malformed.
                if (rest.ContainsAnyExcept((byte)0))
                {
                    error = TftpParseError.EmptyOptionName;
                    return false;
                }

                break;
            }

            // RFC 2347 §2: both the option name and its value end with a NUL.
            if (nameEnd < 0)
            {
                error = TftpParseError.Unterminated;
                return false;
            }

            ReadOnlySpan<byte> afterName = rest[(nameEnd + 1)..];
            if (afterName.IsEmpty)
            {
                error = TftpParseError.UnpairedOption;
                return false;
            }

            int valueEnd = afterName.IndexOf((byte)0);
            if (valueEnd < 0)
            {
                error = TftpParseError.Unterminated;
                return false;
            }

            if (++pairs > MaxOptions)
            {
                error = TftpParseError.TooManyOptions;
                return false;
            }

            // RFC 2347 §2: option names are case-insensitive; the first of a repeated name wins.
            string optionName = Encoding.UTF8.GetString(rest[..nameEnd]).ToLowerInvariant();
            if (!Contains(options, optionName))
            {
                options.Add(new(optionName, Encoding.UTF8.GetString(afterName[..valueEnd])));
            }

            rest = afterName[(valueEnd + 1)..];
        }

        request = new TftpRequest(opcode, Encoding.UTF8.GetString(name), mode, options);
        return true;
    }

    private static TftpParseError ParseHeader(
        ReadOnlySpan<byte> datagram,
        out TftpOpcode opcode,
        out ReadOnlySpan<byte> name,
        out TftpMode mode,
        out ReadOnlySpan<byte> rest)
    {
        opcode = default;
        name = default;
        mode = default;
        rest = default;
        if (datagram.Length < OpcodeLength)
        {
            return TftpParseError.TooShort;
        }

        // RFC 1350 §5: opcodes 1..5; RFC 2347 §2 adds 6.
        ushort code = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        if (code is < (ushort)TftpOpcode.ReadRequest or > (ushort)TftpOpcode.OptionAck)
        {
            return TftpParseError.UnknownOpcode;
        }

        opcode = (TftpOpcode)code;
        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            return TftpParseError.NotARequest;
        }

        // RFC 1350 §5: the file name is a sequence of octets terminated by a zero octet.
        ReadOnlySpan<byte> body = datagram[OpcodeLength..];
        int nameEnd = body.IndexOf((byte)0);
        if (nameEnd < 0)
        {
            return TftpParseError.Unterminated;
        }

        if (nameEnd == 0)
        {
            return TftpParseError.EmptyFileName;
        }

        name = body[..nameEnd];
        body = body[(nameEnd + 1)..];

        // RFC 1350 §5: the mode is terminated by a zero octet too.
        int modeEnd = body.IndexOf((byte)0);
        if (modeEnd < 0)
        {
            return TftpParseError.Unterminated;
        }

        // RFC 1350 §5: "netascii", "octet" or "mail" in any combination of upper and lower case.
        ReadOnlySpan<byte> modeName = body[..modeEnd];
        if (Ascii.EqualsIgnoreCase(modeName, "octet"u8))
        {
            mode = TftpMode.Octet;
        }
        else if (Ascii.EqualsIgnoreCase(modeName, "netascii"u8))
        {
            mode = TftpMode.NetAscii;
        }
        else if (Ascii.EqualsIgnoreCase(modeName, "mail"u8))
        {
            mode = TftpMode.Mail;
        }
        else
        {
            return TftpParseError.UnknownMode;
        }

        rest = body[(modeEnd + 1)..];
        return TftpParseError.None;
    }

    private static bool Contains(List<KeyValuePair<string, string>> options, string name)
    {
        foreach (KeyValuePair<string, string> option in options)
        {
            if (option.Key == name)
            {
                return true;
            }
        }

        return false;
    }
}
