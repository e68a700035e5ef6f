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
            layout = new Layout(Math.Max(MinimumMessageLength, needed), int.MaxValue, 0, DhcpOptionOverload.None);
            return true;
        }

        // RFC 2131 §4.1 / RFC 2132 §9.3: continue in file, then sname, each only when it holds no name.
        int optionsCapacity = maxMessageSize - OptionsOffset - OverloadOptionLength - EndLength;
        int fileCapacity = _file.AsSpan().ContainsAnyExcept((byte)0) ? 0 : BootFileFieldLength - EndLength;
        int snameCapacity = _sname.AsSpan().ContainsAnyExcept((byte)0) ? 0 : ServerNameFieldLength - EndLength;

        // Instances go to the areas in order and never back, so a split value is joined again in
        // the order options, file, sname (RFC 3396 §5). An instance is not cut between areas.
        int area = 0;
        int used = 0;
        int optionsUsed = 0;
        int[] counts = [0, 0, 0];
        int[] capacities = [optionsCapacity, fileCapacity, snameCapacity];
        foreach (DhcpOption option in _options)
        {
            int valueLength = option.Value.Length;
            for (int instance = 0; instance < InstanceCount(valueLength); instance++)
            {
                int size = OptionHeaderLength + (valueLength == 0 ? 0 : InstanceLength(valueLength, instance));
                while (used + size > capacities[area])
                {
                    if (area == 0)
                    {
                        optionsUsed = used;
                    }

                    area++;
                    used = 0;
                    if (area == capacities.Length)
                    {
                        return false;
                    }
                }

                counts[area]++;
                used += size;
            }
        }

        if (area == 0)
        {
            optionsUsed = used;
        }

        var overload = DhcpOptionOverload.None;
        overload |= counts[1] > 0 ? DhcpOptionOverload.File : DhcpOptionOverload.None;
        overload |= counts[2] > 0 ? DhcpOptionOverload.ServerName : DhcpOptionOverload.None;
        int length = Math.Max(MinimumMessageLength, OptionsOffset + OverloadOptionLength + optionsUsed + EndLength);
        layout = new Layout(length, counts[0], counts[1], overload);
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
        if (layout.Overload != DhcpOptionOverload.None)
        {
            // RFC 2132 §9.3: option 52 goes in the options field; it is written first.
            options[0] = (byte)DhcpOptionCode.OptionOverload;
            options[1] = 1;
            options[2] = (byte)layout.Overload;
            optionsPosition = OverloadOptionLength;
        }

        int filePosition = 0;
        int snamePosition = 0;
        int index = 0;
        foreach (DhcpOption option in _options)
        {
            ReadOnlySpan<byte> value = option.Value.Span;
            for (int instance = 0; instance < InstanceCount(value.Length); instance++)
            {
                int length = value.Length == 0 ? 0 : InstanceLength(value.Length, instance);
                ReadOnlySpan<byte> part = value.Slice(instance * MaxOptionInstanceLength, length);
                if (index < layout.OptionsCount)
                {
                    optionsPosition += WriteInstance(options[optionsPosition..], option.Code, part);
                }
                else if (index < layout.OptionsCount + layout.FileCount)
                {
                    filePosition += WriteInstance(file[filePosition..], option.Code, part);
                }
                else
                {
                    snamePosition += WriteInstance(sname[snamePosition..], option.Code, part);
                }

                index++;
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

    /// <summary>Where the option instances go: the first OptionsCount, then FileCount, then the rest.</summary>
    private readonly record struct Layout(int Length, int OptionsCount, int FileCount, DhcpOptionOverload Overload);
}
