using SharpPxe.Tests.Dhcp;
using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp;

public sealed class TftpPacketTests
{
    [Theory]
    [InlineData("0001", TftpOpcode.ReadRequest)]
    [InlineData("0004 0000", TftpOpcode.Ack)]
    [InlineData("0006", TftpOpcode.OptionAck)]
    [InlineData("0000", null)]
    [InlineData("0007", null)]
    [InlineData("0100", null)]
    [InlineData("00", null)]
    [InlineData("", null)]
    public void PeekOpcode_Datagram_ReturnsKnownOpcodeOrNull(string hex, TftpOpcode? expected)
    {
        Assert.Equal(expected, TftpPacket.PeekOpcode(Hex.Bytes(hex)));
    }

    [Fact]
    public void TryParseAck_Ack_ReadsBlock()
    {
        byte[] datagram = Hex.Bytes(
            "0004",                              // opcode: ACK
            "fffe");                             // block 65534

        Assert.True(TftpPacket.TryParseAck(datagram, out ushort block));

        Assert.Equal(65534, block);
    }

    [Theory]
    [InlineData("0004 00")]
    [InlineData("0003 0001")]
    [InlineData("0005 0001")]
    [InlineData("")]
    public void TryParseAck_NotAnAck_ReturnsFalse(string hex)
    {
        Assert.False(TftpPacket.TryParseAck(Hex.Bytes(hex), out _));
    }

    [Fact]
    public void TryParseAck_PaddedAck_ReadsBlock()
    {
        Assert.True(TftpPacket.TryParseAck(Hex.Bytes("0004", "0007", "0000"), out ushort block));
        Assert.Equal(7, block);
    }

    [Fact]
    public void TryParseError_ClientAbort_ReadsCodeAndMessage()
    {
        byte[] datagram = Hex.Bytes(
            "0005",                              // opcode: ERROR
            "0008",                              // code: option negotiation failed
            Hex.Ascii("User aborted the transfer"), "00");

        Assert.True(TftpPacket.TryParseError(datagram, out TftpErrorCode code, out string message));

        Assert.Equal(TftpErrorCode.OptionNegotiationFailed, code);
        Assert.Equal("User aborted the transfer", message);
    }

    [Theory]
    [InlineData("0005 0000 616263", 0, "abc")]       // message without its NUL
    [InlineData("0005 0001", 1, "")]                 // no message at all
    [InlineData("0005 0063 00", 99, "")]             // a code outside the table
    public void TryParseError_Lenient_ReadsWhatIsThere(string hex, int expectedCode, string expectedMessage)
    {
        Assert.True(TftpPacket.TryParseError(Hex.Bytes(hex), out TftpErrorCode code, out string message));

        Assert.Equal((TftpErrorCode)expectedCode, code);
        Assert.Equal(expectedMessage, message);
    }

    [Theory]
    [InlineData("0005 00")]
    [InlineData("0004 0001")]
    public void TryParseError_NotAnError_ReturnsFalse(string hex)
    {
        Assert.False(TftpPacket.TryParseError(Hex.Bytes(hex), out _, out _));
    }

    [Fact]
    public void WriteDataHeader_Block_WritesOpcodeAndBlock()
    {
        byte[] buffer = new byte[6];

        TftpPacket.WriteDataHeader(buffer, 0x1234);

        Assert.Equal(Hex.Bytes("0003", "1234", "0000"), buffer);
    }

    [Fact]
    public void WriteDataHeader_ShortDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => TftpPacket.WriteDataHeader(new byte[3], 1));
    }

    [Fact]
    public void Error_FileNotFound_LaysOutFields()
    {
        Assert.Equal(
            Hex.Bytes(
                "0005",                          // opcode: ERROR
                "0001",                          // code: file not found
                Hex.Ascii("File not found"), "00"),
            TftpPacket.Error(TftpErrorCode.FileNotFound, "File not found"));
    }

    [Fact]
    public void Error_MessageWithNul_NulWrittenAsSpace()
    {
        Assert.Equal(
            Hex.Bytes("0005", "0000", Hex.Ascii("a b"), "00"),
            TftpPacket.Error(TftpErrorCode.NotDefined, "a\0b"));
    }

    [Fact]
    public void OptionAck_Options_LaysOutPairsInOrder()
    {
        byte[] packet = TftpPacket.OptionAck([new("tsize", "1048576"), new("blksize", "1468")]);

        Assert.Equal(
            Hex.Bytes(
                "0006",                          // opcode: OACK
                Hex.Ascii("tsize"), "00",
                Hex.Ascii("1048576"), "00",
                Hex.Ascii("blksize"), "00",
                Hex.Ascii("1468"), "00"),
            packet);
    }

    [Fact]
    public void OptionAck_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => TftpPacket.OptionAck([]));
    }

    [Fact]
    public void OptionAck_NulInValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => TftpPacket.OptionAck([new("blksize", "1\0")]));
    }
}
