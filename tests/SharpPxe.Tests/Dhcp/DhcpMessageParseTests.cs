using System.Net;
using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpMessageParseTests
{
    /// <summary>A relayed DHCPREQUEST with every header field set to a value of its own.</summary>
    private static byte[] RelayedRequest(params string[] options) => Hex.Bytes(
        "01",                                  // op: BOOTREQUEST
        "01",                                  // htype: Ethernet
        "06",                                  // hlen
        "02",                                  // hops
        "0a0b0c0d",                            // xid
        "0104",                                // secs: 260
        "8001",                                // flags: broadcast + a reserved bit
        "c6120005",                            // ciaddr 198.18.0.5
        "c6120006",                            // yiaddr 198.18.0.6
        "c6120007",                            // siaddr 198.18.0.7
        "c6130001",                            // giaddr 198.19.0.1
        "001122aabbcc" + Hex.Zeros(10),        // chaddr
        Hex.AsciiField("boot-server", 64),     // sname
        Hex.AsciiField("pxelinux.0", 128),     // file
        "63825363",                            // magic cookie
        string.Concat(options));

    [Fact]
    public void TryParse_FieldByFieldRequest_ReadsEveryHeaderField()
    {
        byte[] datagram = RelayedRequest("35 01 03", "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out DhcpParseError error));

        Assert.Equal(DhcpParseError.None, error);
        Assert.Equal(BootpOp.BootRequest, message.Operation);
        Assert.Equal(1, message.HardwareType);
        Assert.Equal(6, message.HardwareAddressLength);
        Assert.Equal(2, message.Hops);
        Assert.Equal(0x0a0b0c0du, message.TransactionId);
        Assert.Equal(260, message.Seconds);
        Assert.Equal(0x8001, message.Flags);
        Assert.True(message.BroadcastFlag);
        Assert.Equal(IPAddress.Parse("198.18.0.5"), message.ClientIpAddress);
        Assert.Equal(IPAddress.Parse("198.18.0.6"), message.YourIpAddress);
        Assert.Equal(IPAddress.Parse("198.18.0.7"), message.NextServerIpAddress);
        Assert.Equal(IPAddress.Parse("198.19.0.1"), message.RelayAgentIpAddress);
        Assert.Equal(Hex.Bytes("001122aabbcc"), message.ClientHardwareAddress.ToArray());
        Assert.Equal("00:11:22:aa:bb:cc", message.ClientMacAddress);
        Assert.Equal("boot-server", message.ServerHostName);
        Assert.Equal("pxelinux.0", message.BootFileName);
        Assert.Equal(DhcpOptionOverload.None, message.ParsedOverload);
        Assert.Equal(DhcpMessageType.Request, message.MessageType);
        Assert.Single(message.Options);
    }

    [Fact]
    public void TryParse_BootReply_ReadsOp()
    {
        byte[] datagram = RelayedRequest("35 01 05", "ff");
        datagram[0] = 2;

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(BootpOp.BootReply, message.Operation);
        Assert.Equal(DhcpMessageType.Ack, message.MessageType);
    }

    [Theory]
    [InlineData("no options at all", "ff", 0)]
    [InlineData("pads before End", "00 00 00 ff", 0)]
    [InlineData("zero-length option", "50 00 ff", 1)]
    [InlineData("garbage after End is not read", "35 01 01 ff 01 ff 99", 1)]
    [InlineData("pads between options", "35 01 01 00 00 0c 01 61 ff", 2)]
    public void TryParse_WellFormedOptionsArea_Accepted(string description, string options, int count)
    {
        Assert.True(DhcpMessage.TryParse(RelayedRequest(options), out DhcpMessage? message, out _), description);

        Assert.Equal(count, message.Options.Count);
    }

    [Fact]
    public void TryParse_RepeatedCodes_ConcatenatedInFirstSeenOrder()
    {
        byte[] datagram = RelayedRequest(
            "0c 02 6162",                      // host name "ab"
            "03 04 c6120001",                  // router
            "0c 02 6364",                      // host name continues "cd" (RFC 3396)
            "03 04 c6120002",                  // a second router
            "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal([DhcpOptionCode.HostName, DhcpOptionCode.Router], message.Options.Select(o => o.Code));
        Assert.True(message.TryGetStringOption(DhcpOptionCode.HostName, out string? name));
        Assert.Equal("abcd", name);
        Assert.True(message.TryGetIPAddressListOption(DhcpOptionCode.Router, out IReadOnlyList<IPAddress>? routers));
        Assert.Equal([IPAddress.Parse("198.18.0.1"), IPAddress.Parse("198.18.0.2")], routers);
    }

    [Theory]
    [InlineData("hlen 17", 17, DhcpParseError.BadHlen)]
    [InlineData("hlen 255", 255, DhcpParseError.BadHlen)]
    [InlineData("hlen 16 is the whole chaddr", 16, DhcpParseError.None)]
    [InlineData("hlen 0", 0, DhcpParseError.None)]
    public void TryParse_Hlen_RejectedAbove16(string description, byte hlen, DhcpParseError expected)
    {
        byte[] datagram = RelayedRequest("ff");
        datagram[2] = hlen;

        bool parsed = DhcpMessage.TryParse(datagram, out _, out DhcpParseError error);

        Assert.True(expected == error, description);
        Assert.Equal(expected == DhcpParseError.None, parsed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void TryParse_UnknownOp_ReturnsBadOp(byte op)
    {
        byte[] datagram = RelayedRequest("ff");
        datagram[0] = op;

        Assert.False(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out DhcpParseError error));

        Assert.Null(message);
        Assert.Equal(DhcpParseError.BadOp, error);
    }

    [Theory]
    [InlineData("zeros", "00000000")]
    [InlineData("byte-swapped", "63538263")]
    [InlineData("last octet off", "63825364")]
    public void TryParse_BadMagicCookie_ReturnsBadMagicCookie(string description, string cookie)
    {
        byte[] datagram = RelayedRequest("ff");
        Hex.Bytes(cookie).CopyTo(datagram, DhcpMessage.FixedHeaderLength);

        Assert.False(DhcpMessage.TryParse(datagram, out _, out DhcpParseError error), description);

        Assert.Equal(DhcpParseError.BadMagicCookie, error);
    }

    [Theory]
    [InlineData("tag without length octet", "35 01 01 0c", DhcpParseError.OptionTruncated)]
    [InlineData("value runs past the end", "35 01 01 0c 05 616263", DhcpParseError.OptionTruncated)]
    [InlineData("length 255 with nothing after", "0c ff", DhcpParseError.OptionTruncated)]
    [InlineData("options end without End", "35 01 01", DhcpParseError.MissingEnd)]
    [InlineData("only pads, no End", "00 00 00", DhcpParseError.MissingEnd)]
    [InlineData("empty options area", "", DhcpParseError.MissingEnd)]
    public void TryParse_DefectiveOptionsArea_Rejected(string description, string options, DhcpParseError expected)
    {
        Assert.False(DhcpMessage.TryParse(RelayedRequest(options), out _, out DhcpParseError error), description);

        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 235)]
    [InlineData(236, 239)]
    public void TryParse_ShorterThanHeaderAndCookie_ReturnsTooShort(int from, int to)
    {
        byte[] datagram = RelayedRequest("ff");
        for (int length = from; length <= to; length++)
        {
            Assert.False(DhcpMessage.TryParse(datagram.AsSpan(0, length), out _, out DhcpParseError error));
            Assert.Equal(DhcpParseError.TooShort, error);
        }
    }
}
