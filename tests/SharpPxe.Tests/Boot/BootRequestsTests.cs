using System.Net;
using SharpPxe.Boot;
using SharpPxe.Dhcp;
using SharpPxe.Tests.Dhcp;

namespace SharpPxe.Tests.Boot;

/// <summary>
/// <see cref="BootRequests.FromDhcp"/> on the lab's captured DHCPDISCOVERs (<see cref="ClientVectors"/>).
/// </summary>
public sealed class BootRequestsTests
{
    private const string LabMac = "52:54:00:c0:02:e1";

    [Theory]
    [InlineData("PXEClient:Arch:00000:UNDI:002001", (ushort)0)]
    [InlineData("PXEClient:Arch:00007:UNDI:003000", (ushort)7)]
    [InlineData("HTTPClient:Arch:00016:UNDI:003001", (ushort)16)]
    [InlineData("PXEClient:Arch:0001", null)]
    [InlineData("PXEClient:Arch:0000x:UNDI:002001", null)]
    [InlineData("PXEClient", null)]
    [InlineData(null, null)]
    public void ArchitectureFromVendorClass_ReadsTheArchField(string? vendorClass, ushort? expected)
    {
        Assert.Equal(expected, BootRequests.ArchitectureFromVendorClass(vendorClass));
    }

    [Fact]
    public void FromDhcp_OvmfDiscover_X64UefiWithoutIpxe()
    {
        BootRequest request = BootRequests.FromDhcp(Parse(ClientVectors.OvmfDiscover()));

        Assert.Equal(LabMac, request.Mac);
        Assert.Equal((ushort)7, request.Architecture);
        Assert.Empty(request.UserClasses);
        Assert.Equal("PXEClient:Arch:00007:UNDI:003000", request.VendorClass);
        Assert.False(request.HasIpxeOption175);
        Assert.Null(request.ClientAddress);
    }

    [Fact]
    public void FromDhcp_IpxeEfiDiscover_RawUserClassAndOption175()
    {
        BootRequest request = BootRequests.FromDhcp(Parse(ClientVectors.IpxeEfiDiscover()));

        Assert.Equal(LabMac, request.Mac);
        Assert.Equal((ushort)7, request.Architecture);
        Assert.Equal(["iPXE"], request.UserClasses);
        Assert.Equal("PXEClient:Arch:00007:UNDI:003010", request.VendorClass);
        Assert.True(request.HasIpxeOption175);
    }

    [Fact]
    public void FromDhcp_IpxeBiosDiscover_BiosIpxe()
    {
        BootRequest request = BootRequests.FromDhcp(Parse(ClientVectors.IpxeBiosDiscover()));

        Assert.Equal((ushort)0, request.Architecture);
        Assert.Equal(["iPXE"], request.UserClasses);
        Assert.True(request.HasIpxeOption175);
    }

    [Theory]
    [InlineData("ovmf", "", "syslinux.efi64", "arch")]
    [InlineData("ovmf", "ipxe,http", "ipxe.efi", "arch")]
    [InlineData("ipxe-efi", "ipxe,http", "http://198.18.0.2/boot.http.ipxe", "ipxe-script")]
    [InlineData("ipxe-efi", "ipxe", "tftp://198.18.0.2/boot.ipxe", "ipxe-script")]
    [InlineData("ipxe-bios", "ipxe,http:8080", "http://198.18.0.2:8080/boot.http.ipxe", "ipxe-script")]
    [InlineData("ipxe-bios", "", "pxelinux.0", "arch")]
    [InlineData("plain-rom", "ipxe", "undionly.kpxe", "arch")]
    [InlineData("plain-rom", "ipxe,175", "tftp://198.18.0.2/boot.ipxe", "ipxe-script")]
    [InlineData("plain-rom", "ipxe,chainload", "chainload.kpxe", "arch")]
    public void Decide_LabDiscover_GivesExpectedFile(string vector, string config, string bootFile, string rule)
    {
        byte[] datagram = vector switch
        {
            "ovmf" => ClientVectors.OvmfDiscover(),
            "ipxe-efi" => ClientVectors.IpxeEfiDiscover(),
            "ipxe-bios" => ClientVectors.IpxeBiosDiscover(),
            _ => ClientVectors.IpxeBiosDiscover("LAB-PLAIN-PXE"),
        };

        BootDecision decision = BootClients.Policy(config).Decide(BootRequests.FromDhcp(Parse(datagram)));

        Assert.Equal((bootFile, rule), (decision.BootFile, decision.Rule));
    }

    [Fact]
    public void FromDhcp_Ciaddr_BecomesClientAddress()
    {
        DhcpMessage message = Parse(ClientVectors.OvmfDiscover());
        message.ClientIpAddress = IPAddress.Parse("198.18.0.77");

        BootRequest request = BootRequests.FromDhcp(message);

        Assert.Equal(IPAddress.Parse("198.18.0.77"), request.ClientAddress);
    }

    [Fact]
    public void FromDhcp_NonEthernetChaddr_MacIsHexOfChaddr()
    {
        DhcpMessage message = Parse(ClientVectors.OvmfDiscover());
        message.SetClientHardwareAddress([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], hardwareType: 6);

        BootRequest request = BootRequests.FromDhcp(message);

        Assert.Equal("01:02:03:04:05:06:07:08", request.Mac);
        Assert.Equal((ushort)7, request.Architecture);
    }

    private static DhcpMessage Parse(byte[] datagram)
    {
        Assert.True(
            DhcpMessage.TryParse(datagram, out DhcpMessage? message, out DhcpParseError error), error.ToString());
        return message;
    }
}
