using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace SharpPxe.Dhcp;

/// <summary>Writing: header, cookie, options (split and overloaded as needed), End, padding.</summary>
public sealed partial class DhcpMessage
{
    /// <summary>No size limit other than the destination's length.</summary>
    public const int NoMaxMessageSize = int.MaxValue;

    /// <summary>The largest value one option instance carries (RFC 2132 §2: one length octet).</summary>
    public const int MaxOptionInstanceLength = byte.MaxValue;

    /// <summary>Code and length octets in front of each option instance (RFC 2132 §2).</summary>
    private const int OptionHeaderLength = 2;

    /// <summary>Option 52 with its one-octet value (RFC 2132 §9.3).</summary>
    private const int OverloadOptionLength = OptionHeaderLength + 1;

    private const int EndLength = 1;

    /// <summary>
    /// The length <see cref="ToArray"/> produces: header, cookie, options, End, and padding up to
    /// <see cref="MinimumMessageLength"/>.
    /// </summary>
    public int GetLength() => Math.Max(MinimumMessageLength, OptionsOffset + EncodedOptionsLength() + EndLength);

    /// <summary>Writes the message with no size limit; the array is at least 300 octets long.</summary>
    public byte[] ToArray()
    {
        var datagram = new byte[GetLength()];
        WriteTo(datagram);
        return datagram;
    }

    /// <summary>
    /// Writes the message within <paramref name="maxMessageSize"/> octets, overloading file and then
    /// sname when the options field is too small and those fields are empty. False when it cannot fit.
    /// </summary>
    public bool TryToArray(int maxMessageSize, [NotNullWhen(true)] out byte[]? datagram)
    {
        datagram = null;
        if (!TryPlan(maxMessageSize, out Layout layout))
        {
            return false;
        }

        datagram = new byte[layout.Length];
        Write(datagram, layout);
        return true;
    }

    /// <summary>Writes the message with no size limit and returns its length.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (!TryWriteTo(destination, NoMaxMessageSize, out int written))
        {
            throw new ArgumentException($"The destination needs {GetLength()} octets.", nameof(destination));
        }

        return written;
    }

    /// <summary>
    /// Writes the message in at most <paramref name="maxMessageSize"/> octets (the DHCP message, that is
    /// the UDP payload; a server deriving it from option 57 subtracts the IP and UDP headers first).
    /// When the options do not fit in the options field, they continue in file and then sname
    /// (option 52, RFC 2131 §4.1), each only if its name is empty. False when the message cannot fit,
    /// <paramref name="maxMessageSize"/> is below 300, or the destination is too short.
    /// </summary>
    public bool TryWriteTo(Span<byte> destination, int maxMessageSize, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!TryPlan(maxMessageSize, out Layout layout) || destination.Length < layout.Length)
        {
            return false;
        }

        Write(destination[..layout.Length], layout);
        bytesWritten = layout.Length;
        return true;
    }

    /// <summary>How many option instances a value needs: values over 255 octets are split (RFC 3396 §4).</summary>
    private static int InstanceCount(int valueLength) =>
        valueLength == 0 ? 1 : (valueLength + MaxOptionInstanceLength - 1) / MaxOptionInstanceLength;

    private static int InstanceLength(int valueLength, int instance) =>
        Math.Min(MaxOptionInstanceLength, valueLength - (instance * MaxOptionInstanceLength));

    private int EncodedOptionsLength()
    {
        int length = 0;
        foreach (DhcpOption option in _options)
        {
            length += (InstanceCount(option.Value.Length) * OptionHeaderLength) + option.Value.Length;
        }

        return length;
    }

    private bool TryPlan(int maxMessageSize, out Layout layout)
    {
        layout = default;

        // RFC 1542 §2.1: never send less than 300 octets, so a smaller limit cannot be met.
        if (maxMessageSize < MinimumMessageLength)
        {
            return false;
        }

        int needed = OptionsOffset + EncodedOptionsLength() + EndLength;
        if (needed <= maxMessageSize)
        {
            layout = new Layout(Math.Max(MinimumMessageLength, needed), null, DhcpOptionOverload.None);
            return true;
        }

        // RFC 2131 §4.1 / RFC 2132 §9.3: continue in file, then sname, each only when it holds no name.
        Span<int> capacities =
        [
            maxMessageSize - OptionsOffset - OverloadOptionLength - EndLength,
            _file.AsSpan().ContainsAnyExcept((byte)0) ? 0 : BootFileFieldLength - EndLength,
            _sname.AsSpan().ContainsAnyExcept((byte)0) ? 0 : ServerNameFieldLength - EndLength,
        ];
        Span<int> used = [0, 0, 0];
        var pieces = new List<Piece>();
        for (int index = 0; index < _options.Count; index++)
        {
            int valueLength = _options[index].Value.Length;
            bool placed = valueLength <= MaxOptionInstanceLength
                ? TryPlaceWhole(index, valueLength, capacities, used, pieces)
                : TryPlaceLong(index, valueLength, capacities, used, pieces);
            if (!placed)
            {
                return false;
            }
        }

        var overload = DhcpOptionOverload.None;
        overload |= used[(int)Area.File] > 0 ? DhcpOptionOverload.File : DhcpOptionOverload.None;
        overload |= used[(int)Area.ServerName] > 0 ? DhcpOptionOverload.ServerName : DhcpOptionOverload.None;
        int length = OptionsOffset + OverloadOptionLength + used[(int)Area.Options] + EndLength;
        layout = new Layout(Math.Max(MinimumMessageLength, length), pieces, overload);
        return true;
    }

    /// <summary>
    /// An option of up to 255 octets stays one instance (clients without RFC 3396 support would
    /// misread it otherwise) and goes to the first area with room: options, file, sname.
    /// </summary>
    private static bool TryPlaceWhole(int index, int valueLength, Span<int> capacities, Span<int> used,
        List<Piece> pieces)
    {
        int size = OptionHeaderLength + valueLength;
        for (int area = 0; area < capacities.Length; area++)
        {
            if (used[area] + size <= capacities[area])
            {
                pieces.Add(new Piece((Area)area, index, 0, valueLength));
                used[area] += size;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An option over 255 octets is split anyway, so it is cut wherever an area fills up; its instances
    /// follow the areas' order so that they are joined back in order options, file, sname (RFC 3396 §5).
    /// </summary>
    private static bool TryPlaceLong(int index, int valueLength, Span<int> capacities, Span<int> used,
        List<Piece> pieces)
    {
        int area = 0;
        int offset = 0;
        while (offset < valueLength)
        {
            int room = capacities[area] - used[area] - OptionHeaderLength;
            if (room <= 0)
            {
                if (++area == capacities.Length)
                {
                    return false;
                }

                continue;
            }

            int length = Math.Min(Math.Min(MaxOptionInstanceLength, valueLength - offset), room);
            pieces.Add(new Piece((Area)area, index, offset, length));
            used[area] += OptionHeaderLength + length;
            offset += length;
        }

        return true;
    }

    private void Write(Span<byte> destination, Layout layout)
    {
        destination.Clear();
        destination[OpOffset] = (byte)Operation;
        destination[HtypeOffset] = HardwareType;
        destination[HlenOffset] = HardwareAddressLength;
        destination[HopsOffset] = Hops;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(XidOffset, UInt32Length), TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(SecsOffset, UInt16Length), Seconds);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(FlagsOffset, UInt16Length), Flags);
        _ciaddr.TryWriteBytes(destination.Slice(CiaddrOffset, Ipv4Length), out _);
        _yiaddr.TryWriteBytes(destination.Slice(YiaddrOffset, Ipv4Length), out _);
        _siaddr.TryWriteBytes(destination.Slice(SiaddrOffset, Ipv4Length), out _);
        _giaddr.TryWriteBytes(destination.Slice(GiaddrOffset, Ipv4Length), out _);
        _chaddr.CopyTo(destination.Slice(ChaddrOffset, ClientHardwareAddressFieldLength));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(FixedHeaderLength, MagicCookieLength), MagicCookie);

        Span<byte> sname = destination.Slice(SnameOffset, ServerNameFieldLength);
        Span<byte> file = destination.Slice(FileOffset, BootFileFieldLength);
        Span<byte> options = destination[OptionsOffset..];
        if ((layout.Overload & DhcpOptionOverload.ServerName) == 0)
        {
            _sname.CopyTo(sname);
        }

        if ((layout.Overload & DhcpOptionOverload.File) == 0)
        {
            _file.CopyTo(file);
        }

        int optionsPosition = 0;
        int filePosition = 0;
        int snamePosition = 0;
        if (layout.Pieces is null)
        {
            // Everything fits in the options field: each value in instances of 255 (RFC 3396 §4).
            foreach (DhcpOption option in _options)
            {
                ReadOnlySpan<byte> value = option.Value.Span;
                for (int instance = 0; instance < InstanceCount(value.Length); instance++)
                {
                    int length = value.Length == 0 ? 0 : InstanceLength(value.Length, instance);
                    ReadOnlySpan<byte> part = value.Slice(instance * MaxOptionInstanceLength, length);
                    optionsPosition += WriteInstance(options[optionsPosition..], option.Code, part);
                }
            }
        }
        else
        {
            // RFC 2132 §9.3: option 52 goes in the options field; it is written first.
            options[0] = (byte)DhcpOptionCode.OptionOverload;
            options[1] = 1;
            options[2] = (byte)layout.Overload;
            optionsPosition = OverloadOptionLength;
            foreach (Piece piece in layout.Pieces)
            {
                DhcpOption option = _options[piece.OptionIndex];
                ReadOnlySpan<byte> part = option.Value.Span.Slice(piece.Offset, piece.Length);
                switch (piece.Area)
                {
                    case Area.Options:
                        optionsPosition += WriteInstance(options[optionsPosition..], option.Code, part);
                        break;
                    case Area.File:
                        filePosition += WriteInstance(file[filePosition..], option.Code, part);
                        break;
                    default:
                        snamePosition += WriteInstance(sname[snamePosition..], option.Code, part);
                        break;
                }
            }
        }

        // RFC 2132 §3.2: each area holding options ends with End; the rest stays zero, which is Pad.
        options[optionsPosition] = (byte)DhcpOptionCode.End;
        if ((layout.Overload & DhcpOptionOverload.File) != 0)
        {
            file[filePosition] = (byte)DhcpOptionCode.End;
        }

        if ((layout.Overload & DhcpOptionOverload.ServerName) != 0)
        {
            sname[snamePosition] = (byte)DhcpOptionCode.End;
        }
    }

    private static int WriteInstance(Span<byte> destination, DhcpOptionCode code, ReadOnlySpan<byte> part)
    {
        destination[0] = (byte)code;
        destination[1] = (byte)part.Length;
        part.CopyTo(destination[OptionHeaderLength..]);
        return OptionHeaderLength + part.Length;
    }

    private enum Area
    {
        Options = 0,
        File = 1,
        ServerName = 2,
    }

    /// <summary>One option instance: which area, which option, which slice of its value.</summary>
    private readonly record struct Piece(Area Area, int OptionIndex, int Offset, int Length);

    /// <summary>The planned write: total length, and the instances by area when overloading (else null).</summary>
    private readonly record struct Layout(int Length, List<Piece>? Pieces, DhcpOptionOverload Overload);
}
