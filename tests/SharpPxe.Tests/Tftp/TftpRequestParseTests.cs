using SharpPxe.Tests.Dhcp;
using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp;

public sealed class TftpRequestParseTests
{
    /// <summary>An RRQ for pxelinux.0 in octet mode with blksize 1468 and tsize 0.</summary>
    private static readonly byte[] s_rrqWithOptions = Hex.Bytes(
        "0001",                                  // opcode: RRQ
        Hex.Ascii("pxelinux.0"), "00",           // file name
        Hex.Ascii("octet"), "00",                // mode
        Hex.Ascii("blksize"), "00",              // option name
        Hex.Ascii("1468"), "00",                 // option value
        Hex.Ascii("tsize"), "00",                // option name
        Hex.Ascii("0"), "00");                   // option value

    private static byte[] Rrq(string mode, params string[] optionPairs) => Hex.Bytes(
        "0001",
        Hex.Ascii("boot/grubx64.efi"), "00",
        Hex.Ascii(mode), "00",
        string.Concat(optionPairs.Select(p => Hex.Ascii(p) + "00")));

    [Fact]
    public void TryParseRequest_OctetWithOptions_ReadsEveryField()
    {
        Assert.True(TftpPacket.TryParseRequest(s_rrqWithOptions, out TftpRequest? request, out TftpParseError error));

        Assert.Equal(TftpParseError.None, error);
        Assert.Equal(TftpOpcode.ReadRequest, request.Opcode);
        Assert.Equal("pxelinux.0", request.FileName);
        Assert.Equal(TftpMode.Octet, request.Mode);
        Assert.Equal(
            [new("blksize", "1468"), new("tsize", "0")],
            request.Options);
    }

    [Fact]
    public void TryParseRequest_NetasciiUpperCaseNoOptions_ReadsMode()
    {
        byte[] datagram = Hex.Bytes(
            "0001",                              // opcode: RRQ
            Hex.Ascii("pxelinux.cfg/default"), "00",
            Hex.Ascii("NETASCII"), "00");

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal(TftpMode.NetAscii, request.Mode);
        Assert.Equal("pxelinux.cfg/default", request.FileName);
        Assert.Empty(request.Options);
    }

    [Theory]
    [InlineData("OcTeT", TftpMode.Octet)]
    [InlineData("netascii", TftpMode.NetAscii)]
    [InlineData("Mail", TftpMode.Mail)]
    public void TryParseRequest_ModeInAnyCase_Matches(string mode, TftpMode expected)
    {
        Assert.True(TftpPacket.TryParseRequest(Rrq(mode), out TftpRequest? request, out _));
        Assert.Equal(expected, request.Mode);
    }

    [Fact]
    public void TryParseRequest_MixedCaseOptionNames_LowerCasesNamesKeepsValuesAndOrder()
    {
        byte[] datagram = Rrq("octet", "TSize", "0", "BlkSize", "1468", "WindowSIZE", "4", "Multicast", "");

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal(
            [new("tsize", "0"), new("blksize", "1468"), new("windowsize", "4"), new("multicast", "")],
            request.Options);
    }

    [Fact]
    public void TryParseRequest_RepeatedOption_FirstWins()
    {
        byte[] datagram = Rrq("octet", "blksize", "1468", "BLKSIZE", "512", "tsize", "0");

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal([new("blksize", "1468"), new("tsize", "0")], request.Options);
    }

    [Fact]
    public void TryParseRequest_WriteRequest_ParsedAsWriteRequest()
    {
        byte[] datagram = Hex.Bytes(
            "0002",                              // opcode: WRQ
            Hex.Ascii("upload.bin"), "00",
            Hex.Ascii("octet"), "00",
            Hex.Ascii("tsize"), "00",
            Hex.Ascii("1024"), "00");

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal(TftpOpcode.WriteRequest, request.Opcode);
        Assert.Equal("upload.bin", request.FileName);
        Assert.Equal([new("tsize", "1024")], request.Options);
    }

    [Fact]
    public void TryParseRequest_InvalidUtf8Name_DecodesWithReplacementCharacter()
    {
        byte[] datagram = Hex.Bytes("0001", "61 ff 62", "00", Hex.Ascii("octet"), "00");

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal("a\uFFFDb", request.FileName);
    }

    [Fact]
    public void TryParseRequest_Utf8Name_Decoded()
    {
        byte[] datagram = Hex.Bytes("0001", "c3a9", "00", Hex.Ascii("octet"), "00");

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal("\u00e9", request.FileName);
    }

    [Fact]
    public void TryParseRequest_EveryTruncationWithoutOptions_RejectedWithReason()
    {
        byte[] datagram = Rrq("octet");
        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.False(TftpPacket.TryParseRequest(datagram.AsSpan(0, length), out _, out TftpParseError error));
            TftpParseError expected = length < 2 ? TftpParseError.TooShort : TftpParseError.Unterminated;
            Assert.True(expected == error, $"length {length}: {error}");
        }
    }

    [Fact]
    public void TryParseRequest_EveryTruncationWithOptions_RejectedUnlessAtPairBoundary()
    {
        // Cut at the end of the mode or of a whole pair, a shorter request is still a valid request.
        int modeEnd = 2 + "pxelinux.0".Length + 1 + "octet".Length + 1;
        int[] boundaries = [modeEnd, modeEnd + "blksize".Length + 1 + "1468".Length + 1, s_rrqWithOptions.Length];
        for (int length = 0; length < s_rrqWithOptions.Length; length++)
        {
            bool parsed = TftpPacket.TryParseRequest(
                s_rrqWithOptions.AsSpan(0, length), out _, out TftpParseError error);
            if (boundaries.Contains(length))
            {
                Assert.True(parsed, $"length {length}: {error}");
                continue;
            }

            Assert.False(parsed, $"length {length}");
            Assert.NotEqual(TftpParseError.None, error);
        }
    }

    [Theory]
    [InlineData("0001" + "626f6f74" + "00" + "6f63746574", TftpParseError.Unterminated)]   // mode without NUL
    [InlineData("0001" + "626f6f74", TftpParseError.Unterminated)]                         // name without NUL
    [InlineData("0001" + "00" + "6f6374657400", TftpParseError.EmptyFileName)]
    [InlineData("0001" + "626f6f7400" + "00", TftpParseError.UnknownMode)]                 // empty mode
    [InlineData("0001" + "626f6f7400" + "62696e61727900", TftpParseError.UnknownMode)]     // "binary"
    [InlineData("0001" + "626f6f7400" + "6f6374657400" + "7473697a6500", TftpParseError.UnpairedOption)]
    [InlineData("0001" + "626f6f7400" + "6f6374657400" + "7473697a6500" + "30", TftpParseError.Unterminated)]
    [InlineData("0001" + "626f6f7400" + "6f6374657400" + "00" + "3000", TftpParseError.EmptyOptionName)]
    [InlineData("0003" + "0001" + "6869", TftpParseError.NotARequest)]                     // DATA
    [InlineData("0004" + "0001", TftpParseError.NotARequest)]                               // ACK
    [InlineData("0006" + "7473697a6500" + "3100", TftpParseError.NotARequest)]              // OACK
    [InlineData("0000" + "626f6f7400" + "6f6374657400", TftpParseError.UnknownOpcode)]
    [InlineData("0007" + "626f6f7400" + "6f6374657400", TftpParseError.UnknownOpcode)]
    [InlineData("01", TftpParseError.TooShort)]
    [InlineData("", TftpParseError.TooShort)]
    public void TryParseRequest_Malformed_RejectedWithReason(string hex, TftpParseError expected)
    {
        Assert.False(TftpPacket.TryParseRequest(Hex.Bytes(hex), out TftpRequest? request, out TftpParseError error));

        Assert.Null(request);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParseRequest_NoNulAtAll_Unterminated()
    {
        byte[] datagram = Hex.Bytes("0001", Hex.Ascii("pxelinux.0octetblksize1468"));

        Assert.False(TftpPacket.TryParseRequest(datagram, out _, out TftpParseError error));

        Assert.Equal(TftpParseError.Unterminated, error);
    }

    [Fact]
    public void TryParseRequest_TrailingNulPadding_Ignored()
    {
        byte[] datagram = Hex.Bytes(Convert.ToHexString(Rrq("octet", "tsize", "0")), Hex.Zeros(20));

        Assert.True(TftpPacket.TryParseRequest(datagram, out TftpRequest? request, out _));

        Assert.Equal([new("tsize", "0")], request.Options);
    }

    [Fact]
    public void TryParseRequest_ThousandOptions_RejectedAsTooManyOptions()
    {
        string[] pairs = Enumerable.Range(0, 1000).SelectMany(i => new[] { $"x{i}", "1" }).ToArray();

        Assert.False(TftpPacket.TryParseRequest(Rrq("octet", pairs), out _, out TftpParseError error));

        Assert.Equal(TftpParseError.TooManyOptions, error);
        Assert.Equal(TftpErrorCode.OptionNegotiationFailed, TftpPacket.ReplyFor(error));
    }

    [Fact]
    public void TryParseRequest_ExactlyMaxOptions_Accepted()
    {
        string[] pairs = Enumerable.Range(0, TftpPacket.MaxOptions).SelectMany(i => new[] { $"x{i}", "1" }).ToArray();

        Assert.True(TftpPacket.TryParseRequest(Rrq("octet", pairs), out TftpRequest? request, out _));

        Assert.Equal(TftpPacket.MaxOptions, request.Options.Count);
    }

    [Theory]
    [InlineData(TftpParseError.TooShort, null)]
    [InlineData(TftpParseError.Unterminated, null)]
    [InlineData(TftpParseError.NotARequest, null)]
    [InlineData(TftpParseError.UnknownOpcode, null)]
    [InlineData(TftpParseError.UnknownMode, TftpErrorCode.IllegalOperation)]
    [InlineData(TftpParseError.EmptyFileName, TftpErrorCode.AccessViolation)]
    [InlineData(TftpParseError.UnpairedOption, TftpErrorCode.OptionNegotiationFailed)]
    public void ReplyFor_ParseError_MapsToErrorOrDrop(TftpParseError error, TftpErrorCode? expected)
    {
        Assert.Equal(expected, TftpPacket.ReplyFor(error));
    }
}
