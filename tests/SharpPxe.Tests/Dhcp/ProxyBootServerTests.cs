using System.Net;
using SharpPxe.Boot;
using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class ProxyBootServerTests
{
    private static readonly IPAddress s_server = IPAddress.Parse("198.18.0.1");

    [Theory]
    [InlineData(true, new string[0], false, true)]                  // PXE firmware: asks 4011
    [InlineData(true, new[] { "iPXE" }, false, false)]              // iPXE: the script in the offer
    [InlineData(true, new[] { "LAB-PLAIN-PXE" }, false, true)]      // another user class: still firmware
    [InlineData(true, new string[0], true, false)]                  // UEFI HTTP boot: no port 4011
    [InlineData(false, new string[0], false, false)]                // file-in-offer mode
    public void WithholdsFile_ByModeAndClient_OnlyForPxeFirmwareInBootServerMode(
        bool bootServerMode, string[] userClasses, bool httpClient, bool expected)
    {
        var client = new BootRequest("52:54:00:53:00:e5", 7, userClasses, "PXEClient:Arch:00007:UNDI:003000",
            HasIpxeOption175: false, ClientAddress: null);
        var boot = new BootDecision("ipxe.efi", s_server, httpClient, "arch");

        Assert.Equal(expected, DhcpService.WithholdsFile(bootServerMode, client, boot));
    }
}
