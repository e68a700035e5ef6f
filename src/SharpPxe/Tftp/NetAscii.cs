namespace SharpPxe.Tftp;

/// <summary>
/// netascii encoding for "netascii" transfers (RFC 1350 §1, which refers to RFC 764): LF becomes CR LF and
/// CR becomes CR NUL; every other octet is sent as it is.
/// </summary>
/// <remarks>
/// Each octet is encoded on its own, so a CR LF already in the file goes out as CR NUL CR LF. That is what
/// the RFC's rule says, and it is lossless: a client that decodes
/// (CR NUL → CR, CR LF → LF) gets back exactly the file's bytes. Recognising CR LF and sending it as it is
/// would save two octets per line but make decoding turn a DOS file into a Unix one.
/// Because the encoding has no state, any piece of a file can be encoded independently of the rest.
/// </remarks>
public static class NetAscii
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    /// <summary>The encoded form of <paramref name="content"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> content)
    {
        var encoded = new byte[EncodedLength(content)];
        int written = Encode(content, encoded);
        System.Diagnostics.Debug.Assert(written == encoded.Length, "EncodedLength and Encode disagree.");
        return encoded;
    }

    /// <summary>
    /// Encodes <paramref name="content"/> into <paramref name="destination"/>, which must hold
    /// <see cref="EncodedLength"/> octets; returns the octets written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> content, Span<byte> destination)
    {
        int written = 0;
        while (!content.IsEmpty)
        {
            int special = content.IndexOfAny(Cr, Lf);
            ReadOnlySpan<byte> plain = special < 0 ? content : content[..special];
            plain.CopyTo(destination[written..]);
            written += plain.Length;
            if (special < 0)
            {
                break;
            }

            // RFC 764 (Telnet NVT): a newline is sent as CR LF and a bare CR as CR NUL; every CR of the
            // file counts as bare (see the remarks above).
            destination[written] = Cr;
            destination[written + 1] = content[special] == Cr ? (byte)0 : Lf;
            written += 2;
            content = content[(special + 1)..];
        }

        return written;
    }

    /// <summary>The length of the encoded form: one extra octet for every CR and every LF.</summary>
    public static long EncodedLength(ReadOnlySpan<byte> content) =>
        content.Length + (long)content.Count(Cr) + content.Count(Lf);
}
