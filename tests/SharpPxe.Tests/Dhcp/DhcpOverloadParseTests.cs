using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpOverloadParseTests
{
    private static byte[] Request(string sname, string file, params string[] options) => Hex.Bytes(
        "01" + "01" + "06" + "00",             // op htype hlen hops
        "01020304",                            // xid
        "0000" + "0000",                       // secs flags
        Hex.Zeros(4 * 4),                      // ciaddr yiaddr siaddr giaddr
        "001122aabbcc" + Hex.Zeros(10),        // chaddr
        Pad(sname, 64),                        // sname
        Pad(file, 128),                        // file
        "63825363",                            // magic cookie
        string.Concat(options));

    private static string Pad(string hex, int octets)
    {
        string compact = hex.Replace(" ", string.Empty, StringComparison.Ordinal);
        return compact + Hex.Zeros(octets - (compact.Length / 2));
    }

    [Fact]
    public void TryParse_OverloadFile_ReadsOptionsFromFile()
    {
        byte[] datagram = Request(
            sname: Hex.Ascii("next-server"),
            file: "0c 03 616263 ff",               // host name "abc", End
            "35 01 01",
            "34 01 01",                            // overload: file
            "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(DhcpOptionOverload.File, message.ParsedOverload);
        Assert.Equal([DhcpOptionCode.MessageType, DhcpOptionCode.HostName], message.Options.Select(o => o.Code));
        Assert.True(message.TryGetStringOption(DhcpOptionCode.HostName, out string? name));
        Assert.Equal("abc", name);
        Assert.Equal(string.Empty, message.BootFileName);
        Assert.Equal("next-server", message.ServerHostName);
        Assert.False(message.HasOption(DhcpOptionCode.OptionOverload));
    }

    [Fact]
    public void TryParse_OverloadSname_ReadsOptionsFromSnameOnly()
    {
        byte[] datagram = Request(
            sname: "0f 04 6c616273 ff",            // domain "labs"
            file: Hex.Ascii("ipxe.efi"),
            "35 01 01",
            "34 01 02",                            // overload: sname
            "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(DhcpOptionOverload.ServerName, message.ParsedOverload);
        Assert.True(message.TryGetStringOption(DhcpOptionCode.DomainName, out string? domain));
        Assert.Equal("labs", domain);
        Assert.Equal("ipxe.efi", message.BootFileName);
        Assert.Equal(string.Empty, message.ServerHostName);
    }

    [Fact]
    public void TryParse_OverloadBoth_JoinsOptionsThenFileThenSname()
    {
        // One host name split over the three areas; RFC 2131 §4.1 / RFC 3396: options, file, sname.
        byte[] datagram = Request(
            sname: "0c 02 3333 ff",
            file: "0c 02 3232 ff",
            "0c 02 3131",
            "34 01 03",
            "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(DhcpOptionOverload.Both, message.ParsedOverload);
        Assert.True(message.TryGetStringOption(DhcpOptionCode.HostName, out string? name));
        Assert.Equal("112233", name);
    }

    [Theory]
    [InlineData("value 0", "34 01 00")]
    [InlineData("value 4", "34 01 04")]
    [InlineData("value 255", "34 01 ff")]
    [InlineData("length 2", "34 02 0101")]
    [InlineData("length 0", "34 00")]
    [InlineData("twice", "34 01 01 34 01 01")]
    public void TryParse_BadOverloadOption_ReturnsBadOverload(string description, string overload)
    {
        byte[] datagram = Request(sname: string.Empty, file: "ff", overload, "ff");

        Assert.False(DhcpMessage.TryParse(datagram, out _, out DhcpParseError error), description);

        Assert.Equal(DhcpParseError.BadOverload, error);
    }

    [Theory]
    [InlineData("52 inside file", "", "34 01 01 ff", "34 01 01")]
    [InlineData("52 in file pointing at sname", "ff", "34 01 02 ff", "34 01 01")]
    [InlineData("52 inside sname", "34 01 03 ff", "ff", "34 01 03")]
    public void TryParse_OverloadInsideOverloadedField_ReturnsOverloadLoop(
        string description,
        string sname,
        string file,
        string overload)
    {
        byte[] datagram = Request(sname, file, overload, "ff");

        Assert.False(DhcpMessage.TryParse(datagram, out _, out DhcpParseError error), description);

        Assert.Equal(DhcpParseError.OverloadLoop, error);
    }

    [Fact]
    public void TryParse_OptionRunningPastEndOfFileField_ReturnsOptionTruncated()
    {
        // The last option of file claims 10 octets but only 4 remain in the 128-octet field; the octets
        // after file (the cookie and options) must not be read as its value.
        string file = Hex.Zeros(122) + "0c 0a 61626364";
        byte[] datagram = Request(sname: string.Empty, file, "34 01 01", "0c 10 " + Hex.Zeros(16), "ff");

        Assert.False(DhcpMessage.TryParse(datagram, out _, out DhcpParseError error));

        Assert.Equal(DhcpParseError.OptionTruncated, error);
    }

    [Fact]
    public void TryParse_OverloadedFileWithoutEnd_ReturnsMissingEnd()
    {
        string file = "0c 7e " + Hex.Zeros(126).Replace("00", "41", StringComparison.Ordinal);
        byte[] datagram = Request(sname: string.Empty, file, "34 01 01", "ff");

        Assert.False(DhcpMessage.TryParse(datagram, out _, out DhcpParseError error));

        Assert.Equal(DhcpParseError.MissingEnd, error);
    }

    [Fact]
    public void TryParse_FileNotOverloaded_OptionLikeBytesStayAName()
    {
        byte[] datagram = Request(sname: string.Empty, file: "34 01 01 ff", "35 01 01", "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Single(message.Options);
        Assert.Equal(DhcpOptionOverload.None, message.ParsedOverload);
    }
}
