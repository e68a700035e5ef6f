using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpUserClassTests
{
    [Theory]
    [InlineData("iPXE raw, as iPXE sends it", "69505845", new[] { "iPXE" })]
    [InlineData("iPXE in RFC 3004 form", "04 69505845", new[] { "iPXE" })]
    [InlineData("two RFC 3004 classes", "04 69505845 03 616263", new[] { "iPXE", "abc" })]
    [InlineData("raw text", "4c41422d504c41494e2d505845", new[] { "LAB-PLAIN-PXE" })]
    [InlineData("zero-length item makes it raw", "00 61", new[] { "\0a" })]
    [InlineData("item running past the end makes it raw", "05 6162", new[] { "\u0005ab" })]
    [InlineData("empty", "", new string[0])]
    public void Parse_Option77_ReturnsClasses(string description, string value, string[] expected)
    {
        Assert.True(expected.SequenceEqual(DhcpUserClass.Parse(Hex.Bytes(value))), description);
    }

    [Theory]
    [InlineData("raw", "69505845", true)]
    [InlineData("RFC 3004, only class", "04 69505845", true)]
    [InlineData("RFC 3004, second class", "03 616263 04 69505845", true)]
    [InlineData("other raw text", "4c41422d504c41494e2d505845", false)]
    [InlineData("prefix of iPXE", "695058", false)]
    [InlineData("iPXE with more", "6950584532", false)]
    [InlineData("lower case", "69707865", false)]
    [InlineData("empty", "", false)]
    public void ContainsIpxe_Option77_RecognisesBothForms(string description, string value, bool expected)
    {
        Assert.True(expected == DhcpUserClass.ContainsIpxe(Hex.Bytes(value)), description);
    }

    [Fact]
    public void Encode_Classes_WritesRfc3004ListThatParsesBack()
    {
        byte[] encoded = DhcpUserClass.Encode(["iPXE", "abc"]);

        Assert.Equal(Hex.Bytes("04 69505845 03 616263"), encoded);
        Assert.Equal(["iPXE", "abc"], DhcpUserClass.Parse(encoded));
    }

    [Fact]
    public void Encode_EmptyClass_Throws()
    {
        Assert.Throws<ArgumentException>(() => DhcpUserClass.Encode([string.Empty]));
    }

    [Fact]
    public void IsIpxeClient_MessageWithRfc3004Ipxe_True()
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.UserClass, DhcpUserClass.Encode(["iPXE"]));

        Assert.True(message.IsIpxeClient);
        Assert.Equal(["iPXE"], message.GetUserClasses());
    }
}
