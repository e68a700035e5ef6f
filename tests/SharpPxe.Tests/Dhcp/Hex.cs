namespace SharpPxe.Tests.Dhcp;

/// <summary>Builds byte vectors from hex pieces laid out field by field; spaces are ignored.</summary>
internal static class Hex
{
    public static byte[] Bytes(params string[] pieces) =>
        Convert.FromHexString(string.Concat(pieces).Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Zeros(int octets) => new('0', octets * 2);

    public static string Ascii(string text) => Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>A text padded with zeros to a fixed field width (sname, file).</summary>
    public static string AsciiField(string text, int octets) => Ascii(text) + Zeros(octets - text.Length);

    /// <summary>Pads a whole datagram with zeros up to a length.</summary>
    public static byte[] PadTo(byte[] datagram, int length)
    {
        var padded = new byte[Math.Max(length, datagram.Length)];
        datagram.CopyTo(padded, 0);
        return padded;
    }

    public static string Of(ReadOnlyMemory<byte> value) => Convert.ToHexStringLower(value.Span);
}
