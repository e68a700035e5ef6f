using System.Text;

namespace SharpPxe.Dhcp;

/// <summary>
/// Reads option 77, user class. RFC 3004 §4 defines it as a list of length-prefixed opaque class
/// names; iPXE (and some other clients) send one bare string instead, e.g. the four octets "iPXE".
/// </summary>
public static class DhcpUserClass
{
    /// <summary>The class iPXE announces itself with.</summary>
    public const string Ipxe = "iPXE";

    /// <summary>
    /// The user classes in the value. When the whole value is an RFC 3004 list (every length
    /// octet at least 1, the items exactly filling the value) those items are returned; otherwise
    /// the whole value is one raw class name. Names are decoded as UTF-8.
    /// </summary>
    /// <remarks>
    /// The two forms are ambiguous only for a raw name whose first octet equals the length of the
    /// rest, and so on through the value; printable text starts with an octet of at least 0x20, so
    /// that needs a raw name of 33 octets or more that happens to line up. The list reading wins then.
    /// </remarks>
    public static IReadOnlyList<string> Parse(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return [];
        }

        if (!IsRfc3004List(value))
        {
            return [Encoding.UTF8.GetString(value)];
        }

        var classes = new List<string>();
        int position = 0;
        while (position < value.Length)
        {
            int length = value[position];
            classes.Add(Encoding.UTF8.GetString(value.Slice(position + 1, length)));
            position += 1 + length;
        }

        return classes;
    }

    /// <summary>
    /// True when the value names "iPXE": as the raw four octets, or as one item of an RFC 3004 list.
    /// </summary>
    public static bool ContainsIpxe(ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> ipxe = "iPXE"u8;
        if (value.SequenceEqual(ipxe))
        {
            return true;
        }

        if (!IsRfc3004List(value))
        {
            return false;
        }

        int position = 0;
        while (position < value.Length)
        {
            int length = value[position];
            if (value.Slice(position + 1, length).SequenceEqual(ipxe))
            {
                return true;
            }

            position += 1 + length;
        }

        return false;
    }

    /// <summary>Encodes class names as an RFC 3004 §4 list.</summary>
    /// <exception cref="ArgumentException">A name is empty or longer than 255 octets.</exception>
    public static byte[] Encode(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var encoded = new List<byte>();
        foreach (string name in classes)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(name);

            // RFC 3004 §4: UC_Len_i is one octet and a class is at least one octet long.
            if (bytes.Length is 0 or > byte.MaxValue)
            {
                throw new ArgumentException("A user class is 1 to 255 octets.", nameof(classes));
            }

            encoded.Add((byte)bytes.Length);
            encoded.AddRange(bytes);
        }

        return [.. encoded];
    }

    private static bool IsRfc3004List(ReadOnlySpan<byte> value)
    {
        int position = 0;
        while (position < value.Length)
        {
            int length = value[position];

            // RFC 3004 §4: each item is a length octet (at least 1) and that many octets.
            if (length == 0 || length > value.Length - position - 1)
            {
                return false;
            }

            position += 1 + length;
        }

        return position == value.Length && value.Length > 0;
    }
}
