using System.Net;
using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpMessageApiTests
{
    [Fact]
    public void SetOption_ExistingCode_ReplacesValueInPlace()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Offer };
        message.SetUInt32Option(DhcpOptionCode.LeaseTime, 60);
        message.SetStringOption(DhcpOptionCode.HostName, "a");

        message.SetUInt32Option(DhcpOptionCode.LeaseTime, 86400);

        Assert.Equal(
            [DhcpOptionCode.MessageType, DhcpOptionCode.LeaseTime, DhcpOptionCode.HostName],
            message.Options.Select(o => o.Code));
        Assert.True(message.TryGetUInt32Option(DhcpOptionCode.LeaseTime, out uint lease));
        Assert.Equal(86400u, lease);
    }

    [Fact]
    public void RemoveOption_PresentAndAbsent_ReportsWhetherRemoved()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Discover };

        Assert.True(message.RemoveOption(DhcpOptionCode.MessageType));
        Assert.False(message.RemoveOption(DhcpOptionCode.MessageType));
        Assert.Equal(DhcpMessageType.None, message.MessageType);
        Assert.Empty(message.Options);
    }

    [Fact]
    public void MessageType_SetNone_RemovesOption53()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Inform };

        message.MessageType = DhcpMessageType.None;

        Assert.False(message.HasOption(DhcpOptionCode.MessageType));
    }

    [Theory]
    [InlineData(DhcpOptionCode.Pad)]
    [InlineData(DhcpOptionCode.End)]
    [InlineData(DhcpOptionCode.OptionOverload)]
    public void SetOption_CodeWithoutValue_Throws(DhcpOptionCode code)
    {
        Assert.Throws<ArgumentException>(() => new DhcpMessage().SetOption(code, [1]));
    }

    [Fact]
    public void TypedSetters_WriteNetworkOrder()
    {
        var message = new DhcpMessage();
        message.SetUInt16Option(DhcpOptionCode.MaxMessageSize, 1472);
        message.SetUInt32Option(DhcpOptionCode.RenewalTime, 0x01020304);
        message.SetIPAddressListOption(
            DhcpOptionCode.DomainNameServer,
            [IPAddress.Parse("198.18.0.53"), IPAddress.Parse("198.18.0.54")]);
        message.SetStringOption(DhcpOptionCode.BootfileName, "ipxe.efi");

        Assert.Equal(
            ["57=05c0", "58=01020304", "6=c6120035c6120036", "67=697078652e656669"],
            message.Options.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("three octets", "010203")]
    [InlineData("five octets", "0102030405")]
    [InlineData("empty", "")]
    public void TryGetUInt32Option_WrongLength_ReturnsFalse(string description, string value)
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.LeaseTime, Hex.Bytes(value));

        Assert.False(message.TryGetUInt32Option(DhcpOptionCode.LeaseTime, out _), description);
        Assert.False(message.TryGetIPAddressOption(DhcpOptionCode.LeaseTime, out _), description);
    }

    [Fact]
    public void TryGetIPAddressListOption_LengthNotMultipleOf4_ReturnsFalse()
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.Router, Hex.Bytes("c6120001 c612"));

        Assert.False(message.TryGetIPAddressListOption(DhcpOptionCode.Router, out _));
    }

    [Fact]
    public void TryGetStringOption_TrailingNul_Dropped()
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.BootfileName, Hex.Bytes(Hex.Ascii("pxelinux.0"), "00"));

        Assert.True(message.TryGetStringOption(DhcpOptionCode.BootfileName, out string? name));
        Assert.Equal("pxelinux.0", name);
    }

    [Fact]
    public void TryGetOption_Absent_ReturnsFalse()
    {
        var message = new DhcpMessage();

        Assert.False(message.TryGetOption(DhcpOptionCode.VendorSpecific, out _));
        Assert.False(message.TryGetByteOption(DhcpOptionCode.MessageType, out _));
        Assert.False(message.TryGetStringOption(DhcpOptionCode.HostName, out _));
        Assert.Null(message.VendorClassIdentifier);
        Assert.Empty(message.GetParameterRequestList());
        Assert.False(message.IsIpxeClient);
    }

    [Fact]
    public void BroadcastFlag_Toggle_KeepsOtherFlagBits()
    {
        var message = new DhcpMessage { Flags = 0x0001 };

        message.BroadcastFlag = true;
        Assert.Equal(0x8001, message.Flags);
        message.BroadcastFlag = false;
        Assert.Equal(0x0001, message.Flags);
    }

    [Theory]
    [InlineData("Ethernet", 1, "525400c002e1", "52:54:00:c0:02:e1")]
    [InlineData("Ethernet, upper-case input", 1, "AABBCCDDEEFF", "aa:bb:cc:dd:ee:ff")]
    [InlineData("InfiniBand-like htype", 32, "525400c002e1", null)]
    [InlineData("Ethernet, hlen 8", 1, "525400c002e10000", null)]
    public void ClientMacAddress_HtypeAndHlen_FormatsOnlyEthernet(
        string description,
        byte htype,
        string address,
        string? expected)
    {
        var message = new DhcpMessage();
        message.SetClientHardwareAddress(Hex.Bytes(address), htype);

        Assert.True(expected == message.ClientMacAddress, description);
    }

    [Fact]
    public void SetClientHardwareAddress_17Octets_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DhcpMessage().SetClientHardwareAddress(new byte[17]));
    }

    [Fact]
    public void FormatHardwareAddress_Empty_ReturnsEmpty()
    {
        Assert.Equal(string.Empty, DhcpMessage.FormatHardwareAddress([]));
    }

    [Fact]
    public void ClientIpAddress_Ipv6_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DhcpMessage { ClientIpAddress = IPAddress.IPv6Loopback });
    }

    [Fact]
    public void SetIPAddressOption_Ipv6_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => new DhcpMessage().SetIPAddressOption(DhcpOptionCode.Router, IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData(127, true)]
    [InlineData(128, false)]
    public void BootFileName_Length_MustLeaveRoomForNul(int length, bool accepted)
    {
        var message = new DhcpMessage();
        string name = new('f', length);

        if (accepted)
        {
            message.BootFileName = name;
            Assert.Equal(name, message.BootFileName);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => message.BootFileName = name);
        }
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)]
    public void ServerHostName_Length_MustLeaveRoomForNul(int length, bool accepted)
    {
        var message = new DhcpMessage();
        string name = new('s', length);

        if (accepted)
        {
            message.ServerHostName = name;
            Assert.Equal(name, message.ServerHostName);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => message.ServerHostName = name);
        }
    }

    [Fact]
    public void BootFileName_FullFieldWithoutNulOnWire_ReadsAll128Octets()
    {
        byte[] datagram = Hex.Bytes(
            ClientVectors.RequestHeader("01020304", "0000", "0000"),
            ClientVectors.Cookie,
            "ff");
        Array.Fill(datagram, (byte)'f', 108, 128);

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(new string('f', 128), message.BootFileName);
        Assert.Equal(Hex.PadTo(datagram, 300), message.ToArray());
    }

    [Fact]
    public void DhcpOption_Constructor_CopiesValue()
    {
        byte[] value = [1, 2, 3];
        var option = new DhcpOption(DhcpOptionCode.Router, value);

        value[0] = 9;

        Assert.Equal("3=010203", option.ToString());
    }
}
