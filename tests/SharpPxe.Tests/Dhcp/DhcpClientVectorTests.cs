using System.Net;
using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpClientVectorTests
{
    [Fact]
    public void TryParse_OvmfDiscover_DecodesHeaderAndPxeOptions()
    {
        Assert.True(DhcpMessage.TryParse(ClientVectors.OvmfDiscover(), out DhcpMessage? message, out var error));

        Assert.Equal(DhcpParseError.None, error);
        Assert.Equal(BootpOp.BootRequest, message.Operation);
        Assert.Equal(0x76a80b0eu, message.TransactionId);
        Assert.True(message.BroadcastFlag);
        Assert.Equal(0, message.Seconds);
        Assert.Equal("52:54:00:c0:02:e1", message.ClientMacAddress);
        Assert.Equal(DhcpMessageType.Discover, message.MessageType);
        Assert.Equal((ushort)7, message.ClientSystemArchitecture);
        Assert.Equal("PXEClient:Arch:00007:UNDI:003000", message.VendorClassIdentifier);
        Assert.True(message.TryGetUInt16Option(DhcpOptionCode.MaxMessageSize, out ushort maxSize));
        Assert.Equal(1472, maxSize);
        Assert.False(message.HasOption(DhcpOptionCode.UserClass));
        Assert.False(message.HasOption(DhcpOptionCode.ClientIdentifier));
        Assert.Empty(message.GetUserClasses());
        Assert.False(message.IsIpxeClient);
        Assert.Equal(35, message.GetParameterRequestList().Count);
        Assert.True(message.TryGetOption(DhcpOptionCode.ClientMachineId, out ReadOnlyMemory<byte> machineId));
        Assert.Equal(ClientVectors.MachineId, Hex.Of(machineId));
        Assert.True(message.TryGetOption(DhcpOptionCode.ClientNetworkInterfaceId, out ReadOnlyMemory<byte> undi));
        Assert.Equal("010300", Hex.Of(undi));
    }

    [Fact]
    public void TryParse_OvmfDiscover_KeepsWireOrderOfOptions()
    {
        Assert.True(DhcpMessage.TryParse(ClientVectors.OvmfDiscover(), out DhcpMessage? message, out _));

        byte[] codes = message.Options.Select(option => (byte)option.Code).ToArray();
        Assert.Equal(new byte[] { 53, 57, 55, 97, 94, 93, 60 }, codes);
    }

    [Fact]
    public void TryParse_IpxeEfiDiscover_RecognisesRawIpxeUserClass()
    {
        Assert.True(DhcpMessage.TryParse(ClientVectors.IpxeEfiDiscover(), out DhcpMessage? message, out _));

        Assert.False(message.BroadcastFlag);
        Assert.Equal(4, message.Seconds);
        Assert.Equal((ushort)7, message.ClientSystemArchitecture);
        Assert.Equal("PXEClient:Arch:00007:UNDI:003010", message.VendorClassIdentifier);
        Assert.Equal(["iPXE"], message.GetUserClasses());
        Assert.True(message.IsIpxeClient);
        Assert.True(message.TryGetOption(DhcpOptionCode.IpxeEncapsulated, out ReadOnlyMemory<byte> ipxe));
        Assert.Equal(ClientVectors.IpxeEncapsulatedEfi, Hex.Of(ipxe));
        Assert.True(message.TryGetOption(DhcpOptionCode.ClientIdentifier, out ReadOnlyMemory<byte> clientId));
        Assert.Equal("01" + ClientVectors.Mac, Hex.Of(clientId));
        Assert.Contains(DhcpOptionCode.IpxeEncapsulated, message.GetParameterRequestList());
        byte[] codes = message.Options.Select(option => (byte)option.Code).ToArray();
        Assert.Equal(new byte[] { 53, 57, 93, 94, 60, 77, 55, 175, 61, 97 }, codes);
    }

    [Fact]
    public void TryParse_IpxeBiosDiscover_ReadsArchitectureZero()
    {
        Assert.True(DhcpMessage.TryParse(ClientVectors.IpxeBiosDiscover(), out DhcpMessage? message, out _));

        Assert.Equal((ushort)0, message.ClientSystemArchitecture);
        Assert.Equal("PXEClient:Arch:00000:UNDI:002001", message.VendorClassIdentifier);
        Assert.True(message.IsIpxeClient);
    }

    [Fact]
    public void TryParse_PlainPxeRomDiscover_IsNotIpxe()
    {
        byte[] datagram = ClientVectors.IpxeBiosDiscover("LAB-PLAIN-PXE");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(["LAB-PLAIN-PXE"], message.GetUserClasses());
        Assert.False(message.IsIpxeClient);
    }

    [Theory]
    [InlineData("x64 UEFI", "0007", 7)]
    [InlineData("BIOS", "0000", 0)]
    [InlineData("UEFI HTTP x64", "0010", 16)]
    [InlineData("ARM64 UEFI", "000b", 11)]
    [InlineData("two entries, first wins", "00070000", 7)]
    [InlineData("high octet used", "0102", 0x0102)]
    public void ClientSystemArchitecture_Option93_ReadsFirstValueInNetworkOrder(
        string description,
        string value,
        int expected)
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.ClientSystemArchitecture, Hex.Bytes(value));

        Assert.True(expected == message.ClientSystemArchitecture, description);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("one octet", "07")]
    [InlineData("odd length", "000700")]
    public void ClientSystemArchitecture_MalformedOption93_IsNull(string description, string value)
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.ClientSystemArchitecture, Hex.Bytes(value));

        Assert.True(message.ClientSystemArchitecture is null, description);
    }

    [Fact]
    public void ClientSystemArchitecture_NoOption93_IsNull()
    {
        Assert.Null(new DhcpMessage().ClientSystemArchitecture);
    }

    [Fact]
    public void ToArray_ParsedIpxeDiscover_ReproducesOptionsAndHeader()
    {
        byte[] original = ClientVectors.IpxeEfiDiscover();
        Assert.True(DhcpMessage.TryParse(original, out DhcpMessage? message, out _));

        byte[] written = message.ToArray();

        // The vector ends at End; the writer pads to 300 octets with zeros (Pad).
        Assert.Equal(Hex.PadTo(original, DhcpMessage.MinimumMessageLength), written);
    }

    [Fact]
    public void TryGetIPAddressOption_RequestFromOvmf_ReadsServerIdentifierAndRequestedAddress()
    {
        byte[] datagram = Hex.Bytes(
            ClientVectors.RequestHeader("76a80b0e", "0000", "8000"),
            ClientVectors.Cookie,
            "35 01 03",
            "36 04 c6120001",
            "32 04 c6120075",
            "39 02 ff00",
            "ff");

        Assert.True(DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _));

        Assert.Equal(DhcpMessageType.Request, message.MessageType);
        Assert.True(message.TryGetIPAddressOption(DhcpOptionCode.ServerIdentifier, out IPAddress? server));
        Assert.Equal(IPAddress.Parse("198.18.0.1"), server);
        Assert.True(message.TryGetIPAddressOption(DhcpOptionCode.RequestedIpAddress, out IPAddress? requested));
        Assert.Equal(IPAddress.Parse("198.18.0.117"), requested);
        Assert.True(message.TryGetUInt16Option(DhcpOptionCode.MaxMessageSize, out ushort maxSize));
        Assert.Equal(65280, maxSize);
    }
}
