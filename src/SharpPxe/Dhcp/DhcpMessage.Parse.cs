using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace SharpPxe.Dhcp;

/// <summary>Parsing: <see cref="TryParse"/>, which validates everything before it allocates.</summary>
public sealed partial class DhcpMessage
{
    private const int OptionCodeCount = 256;

    /// <summary>
    /// Parses a DHCP datagram (the UDP payload). Never throws; on failure the reason is in
    /// <paramref name="error"/> and the datagram should be dropped and counted.
    /// </summary>
    /// <remarks>
    /// Checks, in order: length, op, hlen, magic cookie, then every option in the options field and,
    /// when option 52 says so, in file and then sname (RFC 2131 §4.1). Each of those areas must end
    /// with End: RFC 2132 §3.2 makes End the mark of the end of valid information, and an area that
    /// runs out without it cannot be told from a datagram cut short (by a small receive buffer, for
    /// one). Options with the same code are joined in the order options, file, sname (RFC 3396 §5).
    /// Option 52 itself is consumed: see <see cref="ParsedOverload"/>.
    /// </remarks>
    public static bool TryParse(
        ReadOnlySpan<byte> datagram,
        [NotNullWhen(true)] out DhcpMessage? message,
        out DhcpParseError error)
    {
        message = null;
        // Two tables of 256 ints (2 KiB) are rented rather than put on the stack.
        int[] lengths = ArrayPool<int>.Shared.Rent(OptionCodeCount * 2);
        try
        {
            // lengths[code] is 0 when the code was not seen, else 1 + its total value length
            // (options may be empty, RFC 2132 §2, so "seen" cannot be told from length alone).
            Span<int> totals = lengths.AsSpan(0, OptionCodeCount);
            totals.Clear();
            Span<byte> order = stackalloc byte[OptionCodeCount];
            error = Validate(datagram, totals, order, out int distinct, out DhcpOptionOverload overload);
            if (error != DhcpParseError.None)
            {
                return false;
            }

            Span<int> starts = lengths.AsSpan(OptionCodeCount, OptionCodeCount);
            message = Decode(datagram, totals, starts, order[..distinct], overload);
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    private static DhcpParseError Validate(
        ReadOnlySpan<byte> datagram,
        Span<int> totals,
        Span<byte> order,
        out int distinct,
        out DhcpOptionOverload overload)
    {
        distinct = 0;
        overload = DhcpOptionOverload.None;

        // RFC 2131 §2-3: the fixed header and the magic cookie are always present.
        if (datagram.Length < OptionsOffset)
        {
            return DhcpParseError.TooShort;
        }

        // RFC 951 / RFC 2131 §2: op is 1 (BOOTREQUEST) or 2 (BOOTREPLY).
        if (datagram[OpOffset] is not ((byte)BootpOp.BootRequest or (byte)BootpOp.BootReply))
        {
            return DhcpParseError.BadOp;
        }

        // RFC 2131 §2: chaddr has 16 octets, so hlen cannot say more.
        if (datagram[HlenOffset] > ClientHardwareAddressFieldLength)
        {
            return DhcpParseError.BadHlen;
        }

        // RFC 2131 §3 and RFC 2132 §2: the options field starts with 99.130.83.99.
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(FixedHeaderLength, MagicCookieLength)) != MagicCookie)
        {
            return DhcpParseError.BadMagicCookie;
        }

        DhcpParseError error = Scan(datagram[OptionsOffset..], isOptionsField: true, totals, order, ref distinct,
            ref overload);
        if (error != DhcpParseError.None)
        {
            return error;
        }

        // RFC 2131 §4.1: with overload, file is read before sname.
        if ((overload & DhcpOptionOverload.File) != 0)
        {
            error = Scan(datagram.Slice(FileOffset, BootFileFieldLength), isOptionsField: false, totals, order,
                ref distinct, ref overload);
        }

        if (error == DhcpParseError.None && (overload & DhcpOptionOverload.ServerName) != 0)
        {
            error = Scan(datagram.Slice(SnameOffset, ServerNameFieldLength), isOptionsField: false, totals, order,
                ref distinct, ref overload);
        }

        return error;
    }

    private static DhcpParseError Scan(
        ReadOnlySpan<byte> area,
        bool isOptionsField,
        Span<int> totals,
        Span<byte> order,
        ref int distinct,
        ref DhcpOptionOverload overload)
    {
        var reader = new DhcpOptionReader(area);
        while (reader.TryReadNext(out byte code, out ReadOnlySpan<byte> value))
        {
            if (code == (byte)DhcpOptionCode.OptionOverload)
            {
                // RFC 2132 §9.3: option 52 lives in the options field; inside file or sname it would
                // point at itself (or at the other field a second time), so it is refused.
                if (!isOptionsField)
                {
                    return DhcpParseError.OverloadLoop;
                }

                // RFC 2132 §9.3: length 1, value 1, 2 or 3; a second copy would be a 2-octet value.
                if (overload != DhcpOptionOverload.None || value.Length != 1
                    || value[0] is < (byte)DhcpOptionOverload.File or > (byte)DhcpOptionOverload.Both)
                {
                    return DhcpParseError.BadOverload;
                }

                overload = (DhcpOptionOverload)value[0];
                continue;
            }

            if (totals[code] == 0)
            {
                order[distinct++] = code;
                totals[code] = 1;
            }

            totals[code] += value.Length;
        }

        return reader.Error;
    }

    private static DhcpMessage Decode(
        ReadOnlySpan<byte> datagram,
        Span<int> totals,
        Span<int> starts,
        ReadOnlySpan<byte> order,
        DhcpOptionOverload overload)
    {
        var message = new DhcpMessage
        {
            Operation = (BootpOp)datagram[OpOffset],
            HardwareType = datagram[HtypeOffset],
            HardwareAddressLength = datagram[HlenOffset],
            Hops = datagram[HopsOffset],
            TransactionId = BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(XidOffset, UInt32Length)),
            Seconds = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(SecsOffset, UInt16Length)),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(FlagsOffset, UInt16Length)),
            ParsedOverload = overload,
        };
        message._ciaddr = new IPAddress(datagram.Slice(CiaddrOffset, Ipv4Length));
        message._yiaddr = new IPAddress(datagram.Slice(YiaddrOffset, Ipv4Length));
        message._siaddr = new IPAddress(datagram.Slice(SiaddrOffset, Ipv4Length));
        message._giaddr = new IPAddress(datagram.Slice(GiaddrOffset, Ipv4Length));
        datagram.Slice(ChaddrOffset, ClientHardwareAddressFieldLength).CopyTo(message._chaddr);

        // RFC 2132 §9.3: a field that carries options is not a name; it is left empty here.
        if ((overload & DhcpOptionOverload.ServerName) == 0)
        {
            datagram.Slice(SnameOffset, ServerNameFieldLength).CopyTo(message._sname);
        }

        if ((overload & DhcpOptionOverload.File) == 0)
        {
            datagram.Slice(FileOffset, BootFileFieldLength).CopyTo(message._file);
        }

        // One array holds every value; totals[] becomes each code's write cursor into it.
        int size = 0;
        foreach (byte code in order)
        {
            int length = totals[code] - 1;
            totals[code] = size;
            size += length;
        }

        byte[] values = size == 0 ? [] : new byte[size];
        for (int i = 0; i < order.Length; i++)
        {
            starts[i] = totals[order[i]];
        }

        Gather(datagram[OptionsOffset..], totals, values);
        if ((overload & DhcpOptionOverload.File) != 0)
        {
            Gather(datagram.Slice(FileOffset, BootFileFieldLength), totals, values);
        }

        if ((overload & DhcpOptionOverload.ServerName) != 0)
        {
            Gather(datagram.Slice(SnameOffset, ServerNameFieldLength), totals, values);
        }

        for (int i = 0; i < order.Length; i++)
        {
            // After Gather, each cursor sits at the end of its code's value.
            var value = new ReadOnlyMemory<byte>(values, starts[i], totals[order[i]] - starts[i]);
            message._options.Add(DhcpOption.FromOwned((DhcpOptionCode)order[i], value));
        }

        return message;
    }

    private static void Gather(ReadOnlySpan<byte> area, Span<int> cursors, byte[] values)
    {
        var reader = new DhcpOptionReader(area);
        while (reader.TryReadNext(out byte code, out ReadOnlySpan<byte> value))
        {
            if (code == (byte)DhcpOptionCode.OptionOverload)
            {
                continue;
            }

            value.CopyTo(values.AsSpan(cursors[code]));
            cursors[code] += value.Length;
        }
    }
}
