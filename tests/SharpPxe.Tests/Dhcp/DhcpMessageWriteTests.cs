using System.Net;
using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpMessageWriteTests
{
    private static readonly IPAddress s_server = IPAddress.Parse("198.18.0.1");

    private static DhcpMessage ProxyOffer()
    {
        var offer = new DhcpMessage
        {
            Operation = BootpOp.BootReply,
            TransactionId = 0x76a80b0e,
            BroadcastFlag = true,
            NextServerIpAddress = s_server,
            BootFileName = "ipxe.efi",
        };
        offer.SetClientHardwareAddress(Hex.Bytes(ClientVectors.Mac));
        offer.MessageType = DhcpMessageType.Offer;
        offer.SetIPAddressOption(DhcpOptionCode.ServerIdentifier, s_server);
        offer.SetStringOption(DhcpOptionCode.VendorClassIdentifier, "PXEClient");
        offer.SetOption(
            DhcpOptionCode.VendorSpecific,
            new PxeVendorOptions()
                .SetDiscoveryControl(PxeDiscoveryControl.DownloadBootFile)
                .SetMenuPrompt(0, "PXE")
                .Build());
        offer.SetStringOption(DhcpOptionCode.BootfileName, "ipxe.efi");
        return offer;
    }

    [Fact]
    public void ToArray_ProxyOfferBuiltInCode_MatchesFieldByFieldVector()
    {
        byte[] expected = Hex.PadTo(
            Hex.Bytes(
                "02",                                  // op: BOOTREPLY
                "01",                                  // htype: Ethernet
                "06",                                  // hlen
                "00",                                  // hops
                "76a80b0e",                            // xid
                "0000",                                // secs
                "8000",                                // flags: broadcast
                "00000000",                            // ciaddr
                "00000000",                            // yiaddr
                "c6120001",                            // siaddr 198.18.0.1
                "00000000",                            // giaddr
                ClientVectors.Mac + Hex.Zeros(10),     // chaddr
                Hex.Zeros(64),                         // sname
                Hex.AsciiField("ipxe.efi", 128),       // file
                "63825363",                            // magic cookie
                "35 01 02",                            // 53: DHCPOFFER
                "36 04 c6120001",                      // 54: server identifier
                "3c 09 " + Hex.Ascii("PXEClient"),     // 60
                "2b 0a 060108 0a0400505845 ff",        // 43: discovery control 8, prompt (0, "PXE"), End
                "43 08 " + Hex.Ascii("ipxe.efi"),      // 67
                "ff"),                                 // End
            300);                                      // padded to the BOOTP minimum (RFC 1542 §2.1)

        byte[] written = ProxyOffer().ToArray();

        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(written));
    }

    [Fact]
    public void ToArray_EmptyMessage_IsPaddedTo300Octets()
    {
        byte[] written = new DhcpMessage { Operation = BootpOp.BootReply }.ToArray();

        Assert.Equal(DhcpMessage.MinimumMessageLength, written.Length);
        Assert.Equal((byte)DhcpOptionCode.End, written[DhcpMessage.OptionsOffset]);
        Assert.All(written.AsSpan(DhcpMessage.OptionsOffset + 1).ToArray(), octet => Assert.Equal(0, octet));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(400)]
    public void ToArray_AnyOptionLength_AtLeast300OctetsAndMatchesGetLength(int valueLength)
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.Message, new byte[valueLength]);

        byte[] written = message.ToArray();

        Assert.True(written.Length >= DhcpMessage.MinimumMessageLength);
        Assert.Equal(message.GetLength(), written.Length);
        int instances = Math.Max(1, (valueLength + 254) / 255);
        Assert.Equal(Math.Max(300, 240 + (2 * instances) + valueLength + 1), written.Length);
    }

    [Fact]
    public void ToArray_600OctetOption_WrittenAsThreeInstancesAndJoinedOnRead()
    {
        byte[] value = Enumerable.Range(0, 600).Select(i => (byte)i).ToArray();
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.VendorSpecific, value);

        byte[] written = message.ToArray();

        int at = DhcpMessage.OptionsOffset;
        Assert.Equal(Hex.Bytes("2b ff"), written[at..(at + 2)]);
        Assert.Equal(value[..255], written[(at + 2)..(at + 257)]);
        Assert.Equal(Hex.Bytes("2b ff"), written[(at + 257)..(at + 259)]);
        Assert.Equal(value[255..510], written[(at + 259)..(at + 514)]);
        Assert.Equal(Hex.Bytes("2b 5a"), written[(at + 514)..(at + 516)]);
        Assert.Equal(value[510..], written[(at + 516)..(at + 606)]);
        Assert.Equal((byte)DhcpOptionCode.End, written[at + 606]);
        Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out _));
        Assert.True(parsed.TryGetOption(DhcpOptionCode.VendorSpecific, out ReadOnlyMemory<byte> joined));
        Assert.Equal(value, joined.ToArray());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(255, 1)]
    [InlineData(256, 2)]
    [InlineData(510, 2)]
    [InlineData(511, 3)]
    [InlineData(765, 3)]
    public void ToArray_LongValue_SplitInto255OctetInstances(int valueLength, int instances)
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.DomainSearch, new byte[valueLength]);

        byte[] written = message.ToArray();

        Assert.Equal(OptionsOffsetPlus(valueLength + (2 * instances)), IndexOfEnd(written));
        Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out _));
        Assert.True(parsed.TryGetOption(DhcpOptionCode.DomainSearch, out ReadOnlyMemory<byte> joined));
        Assert.Equal(valueLength, joined.Length);
    }

    [Fact]
    public void TryToArray_SmallMaxSize_OverloadsFileThenSnameAndRoundTrips()
    {
        DhcpMessage message = ProxyOffer();
        message.BootFileName = string.Empty;
        message.SetStringOption(DhcpOptionCode.RootPath, new string('r', 100));
        message.SetStringOption(DhcpOptionCode.DomainName, new string('d', 50));

        Assert.True(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));

        Assert.Equal(DhcpMessage.MinimumMessageLength, written.Length);
        Assert.Equal(Hex.Bytes("34 01 03"), written[240..243]);
        Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out DhcpParseError error), $"{error}");
        Assert.Equal(DhcpOptionOverload.Both, parsed.ParsedOverload);
        Assert.Equal(ByCode(message), ByCode(parsed));
        Assert.Equal(string.Empty, parsed.BootFileName);
        Assert.Equal(string.Empty, parsed.ServerHostName);
    }

    [Fact]
    public void TryToArray_OptionsFitWithFile_OverloadsFileOnly()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Ack, ServerHostName = "tftp" };
        message.SetStringOption(DhcpOptionCode.RootPath, new string('r', 100));

        Assert.True(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));

        Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out _));
        Assert.Equal(DhcpOptionOverload.File, parsed.ParsedOverload);
        Assert.Equal("tftp", parsed.ServerHostName);
        Assert.True(parsed.TryGetStringOption(DhcpOptionCode.RootPath, out string? rootPath));
        Assert.Equal(new string('r', 100), rootPath);
    }

    [Fact]
    public void TryToArray_BootFileNameSet_OverloadsSnameOnlyAndKeepsName()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Ack, BootFileName = "undionly.kpxe" };
        message.SetStringOption(DhcpOptionCode.RootPath, new string('r', 60));
        message.SetStringOption(DhcpOptionCode.DomainName, new string('d', 40));

        Assert.True(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));

        Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out _));
        Assert.Equal(DhcpOptionOverload.ServerName, parsed.ParsedOverload);
        Assert.Equal("undionly.kpxe", parsed.BootFileName);
        Assert.Equal(ByCode(message), ByCode(parsed));
    }

    [Fact]
    public void TryToArray_LongOptionUnderSmallMaxSize_SplitAcrossAreasAndJoined()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Offer };
        byte[] value = Enumerable.Range(0, 400).Select(i => (byte)(i % 251)).ToArray();
        message.SetOption(DhcpOptionCode.VendorSpecific, value);

        Assert.True(message.TryToArray(548, out byte[]? written));

        Assert.True(written.Length <= 548);
        Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out _));
        Assert.Equal(DhcpOptionOverload.File, parsed.ParsedOverload);
        Assert.True(parsed.TryGetOption(DhcpOptionCode.VendorSpecific, out ReadOnlyMemory<byte> joined));
        Assert.Equal(value, joined.ToArray());
    }

    [Fact]
    public void TryToArray_FitsWithoutOverload_DoesNotOverload()
    {
        DhcpMessage message = ProxyOffer();

        Assert.True(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));

        Assert.Equal(message.ToArray(), written);
    }

    [Fact]
    public void TryToArray_TooMuchForEveryArea_ReturnsFalse()
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.VendorSpecific, new byte[600]);

        Assert.False(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));
        Assert.Null(written);
    }

    [Fact]
    public void TryToArray_NamesFillFileAndSname_ReturnsFalseRatherThanOverwriteThem()
    {
        var message = new DhcpMessage { BootFileName = "ipxe.efi", ServerHostName = "tftp" };
        message.SetStringOption(DhcpOptionCode.RootPath, new string('r', 100));

        Assert.False(message.TryToArray(DhcpMessage.MinimumMessageLength, out _));
    }

    [Fact]
    public void TryToArray_MaxSizeBelow300_ReturnsFalse()
    {
        Assert.False(new DhcpMessage().TryToArray(DhcpMessage.MinimumMessageLength - 1, out _));
    }

    [Fact]
    public void TryWriteTo_DestinationTooShort_ReturnsFalseAndWritesNothing()
    {
        var destination = new byte[299];

        Assert.False(new DhcpMessage().TryWriteTo(destination, DhcpMessage.NoMaxMessageSize, out int written));

        Assert.Equal(0, written);
        Assert.All(destination, octet => Assert.Equal(0, octet));
    }

    [Fact]
    public void WriteTo_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DhcpMessage().WriteTo(new byte[100]));
    }

    [Fact]
    public void WriteTo_LargerDestination_WritesGetLengthOctets()
    {
        var destination = new byte[1500];

        int written = ProxyOffer().WriteTo(destination);

        Assert.Equal(300, written);
        Assert.Equal(ProxyOffer().ToArray(), destination[..written]);
    }

    [Fact]
    public void ToArray_RelayAgentInformation_RoundTripsByteForByte()
    {
        // Option 82 with circuit-id and remote-id sub-options (RFC 3046 §2.0), a value the codec never reads.
        string option82 = "01 06 000400010002" + "02 08 0006001122aabbcc";
        byte[] request = Hex.Bytes(
            ClientVectors.RequestHeader("01020304", "0000", "0000"),
            ClientVectors.Cookie,
            "35 01 01",
            "52 12 " + option82,
            "ff");
        Assert.True(DhcpMessage.TryParse(request, out DhcpMessage? parsed, out _));

        byte[] written = parsed.ToArray();

        Assert.Equal(Hex.PadTo(request, 300), written);
        Assert.True(parsed.TryGetOption(DhcpOptionCode.RelayAgentInformation, out ReadOnlyMemory<byte> value));
        Assert.Equal(Hex.Bytes(option82), value.ToArray());
    }

    /// <summary>Options sorted by code: overloading moves options between areas, which changes their order.</summary>
    private static IEnumerable<string> ByCode(DhcpMessage message) =>
        message.Options.OrderBy(o => o.Code).Select(o => o.ToString());

    private static int OptionsOffsetPlus(int octets) => DhcpMessage.OptionsOffset + octets;

    private static int IndexOfEnd(byte[] datagram)
    {
        int position = DhcpMessage.OptionsOffset;
        while (datagram[position] != (byte)DhcpOptionCode.End)
        {
            position += 2 + datagram[position + 1];
        }

        return position;
    }
}
