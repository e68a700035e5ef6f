using SharpPxe.Tests.Dhcp;
using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp;

public sealed class NetAsciiTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("616263", "616263")]                         // plain text unchanged
    [InlineData("61 0a 62", "61 0d0a 62")]                    // LF -> CR LF
    [InlineData("61 0d 62", "61 0d00 62")]                    // CR -> CR NUL
    [InlineData("61 0d0a 62", "61 0d00 0d0a 62")]             // CR LF in the file: each octet on its own
    [InlineData("0a0a", "0d0a 0d0a")]
    [InlineData("0d", "0d00")]
    [InlineData("00 ff", "00 ff")]                            // other octets, NUL included, as they are
    public void Encode_Content_EncodesEachOctet(string content, string expected)
    {
        byte[] input = Hex.Bytes(content);

        byte[] encoded = NetAscii.Encode(input);

        Assert.Equal(Hex.Bytes(expected), encoded);
        Assert.Equal(encoded.Length, NetAscii.EncodedLength(input));
    }

    [Fact]
    public void Encode_LargeMixedContent_LengthMatchesAndDecodesBack()
    {
        var random = new Random(1350);
        byte[] content = new byte[100_000];
        random.NextBytes(content);

        byte[] encoded = NetAscii.Encode(content);

        Assert.Equal(encoded.Length, NetAscii.EncodedLength(content));
        Assert.Equal(content, Decode(encoded));
    }

    /// <summary>A client's decoding: CR NUL → CR, CR LF → LF.</summary>
    private static byte[] Decode(byte[] encoded)
    {
        var output = new List<byte>(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '\r')
            {
                output.Add(encoded[i + 1] == 0 ? (byte)'\r' : (byte)'\n');
                i++;
                continue;
            }

            output.Add(encoded[i]);
        }

        return [.. output];
    }
}
