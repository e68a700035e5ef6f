using System.Net;
using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class PxeVendorOptionsTests
{
    [Fact]
    public void Build_DiscoveryControlAndPrompt_WritesSubOptionsThenEnd()
    {
        byte[] value = new PxeVendorOptions()
            .SetDiscoveryControl(PxeDiscoveryControl.DownloadBootFile)
            .SetMenuPrompt(0, "PXE")
            .Build();

        Assert.Equal(
            Hex.Bytes(
                "06 01 08",                    // PXE_DISCOVERY_CONTROL: bit 3, boot the offered file
                "0a 04 00 505845",             // PXE_MENU_PROMPT: timeout 0, "PXE"
                "ff"),                         // End
            value);
    }

    [Fact]
    public void Build_RawBootServersMenuAndItem_KeptAsGiven()
    {
        byte[] value = new PxeVendorOptions()
            .SetDiscoveryControl(PxeDiscoveryControl.DisableBroadcast | PxeDiscoveryControl.DisableMulticast)
            .SetRaw(PxeVendorOptions.BootServersCode, Hex.Bytes("8000 01 c6120001"))
            .SetRaw(PxeVendorOptions.BootMenuCode, Hex.Bytes("8000 04 6c696e78"))
            .SetMenuPrompt(5, "Boot")
            .SetRaw(PxeVendorOptions.BootItemCode, Hex.Bytes("8000 0000"))
            .Build();

        Assert.Equal(
            Hex.Bytes(
                "06 01 03",
                "08 07 8000 01 c6120001",      // PXE_BOOT_SERVERS: type 0x8000, 1 address
                "09 07 8000 04 6c696e78",      // PXE_BOOT_MENU: type 0x8000, "linx"
                "0a 05 05 426f6f74",           // PXE_MENU_PROMPT: 5 s, "Boot"
                "47 04 8000 0000",             // PXE_BOOT_ITEM: type 0x8000, layer 0
                "ff"),
            value);
    }

    [Fact]
    public void SetRaw_SameCodeTwice_ReplacesInPlace()
    {
        byte[] value = new PxeVendorOptions()
            .SetDiscoveryControl(PxeDiscoveryControl.None)
            .SetMenuPrompt(0, "A")
            .SetDiscoveryControl(PxeDiscoveryControl.DownloadBootFile)
            .Build();

        Assert.Equal(Hex.Bytes("06 01 08", "0a 02 00 41", "ff"), value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    public void SetRaw_PadOrEndCode_Throws(byte code)
    {
        Assert.Throws<ArgumentException>(() => new PxeVendorOptions().SetRaw(code, [1]));
    }

    [Fact]
    public void SetRaw_ValueOver255Octets_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PxeVendorOptions().SetRaw(71, new byte[256]));
    }

    [Fact]
    public void TryParse_BuiltValue_RoundTrips()
    {
        byte[] built = new PxeVendorOptions()
            .SetDiscoveryControl(PxeDiscoveryControl.DownloadBootFile)
            .SetMenuPrompt(0, "PXE")
            .Build();

        Assert.True(PxeVendorOptions.TryParse(built, out PxeVendorOptions? parsed));

        Assert.Equal(built, parsed.Build());
        Assert.True(parsed.TryGet(PxeVendorOptions.MenuPromptCode, out ReadOnlyMemory<byte> prompt));
        Assert.Equal(Hex.Bytes("00 505845"), prompt.ToArray());
    }

    [Theory]
    [InlineData("sub-option runs past the end", "06 05 08")]
    [InlineData("length octet missing", "06")]
    public void TryParse_Truncated_ReturnsFalse(string description, string value)
    {
        Assert.False(PxeVendorOptions.TryParse(Hex.Bytes(value), out PxeVendorOptions? parsed), description);
        Assert.Null(parsed);
    }

    [Fact]
    public void TryParse_NoEndButExactlyFilled_Accepted()
    {
        Assert.True(PxeVendorOptions.TryParse(Hex.Bytes("06 01 08"), out PxeVendorOptions? parsed));

        Assert.Single(parsed.SubOptions);
    }

    [Fact]
    public void SetBootServersAndMenuItem_OneServerOneItem_WritesTypeCountAddressAndText()
    {
        byte[] value = new PxeVendorOptions()
            .SetBootServers(0x8001, IPAddress.Parse("198.18.0.1"))
            .SetBootMenuItem(0x8001, "linx")
            .Build();

        Assert.Equal(
            Hex.Bytes(
                "08 07 8001 01 c6120001",      // PXE_BOOT_SERVERS: type 0x8001, 1 address, 198.18.0.1
                "09 07 8001 04 6c696e78",      // PXE_BOOT_MENU: type 0x8001, "linx"
                "ff"),
            value);
    }

    [Fact]
    public void SetBootServers_IPv6Address_Throws() =>
        Assert.Throws<ArgumentException>(() => new PxeVendorOptions().SetBootServers(0x8000, IPAddress.IPv6Loopback));

    [Fact]
    public void BootServerDiscovery_WithheldFile_ListsAVendorTypeServerNeverLocalBoot()
    {
        byte[] value = DhcpService.BootServerDiscovery(IPAddress.Parse("198.18.0.1")).Build();

        // Type 0 in a boot menu is "local boot": edk2 cancels the network boot (PXE-E21) and never asks 4011.
        Assert.Equal(
            Hex.Bytes(
                "06 01 07",                    // PXE_DISCOVERY_CONTROL: no broadcast, no multicast, list only
                "08 07 8000 01 c6120001",      // PXE_BOOT_SERVERS: type 0x8000 at 198.18.0.1
                "09 0b 8000 08 5368617270505845",   // PXE_BOOT_MENU: type 0x8000, "SharpPXE"
                "0a 09 00 5368617270505845",   // PXE_MENU_PROMPT: timeout 0 (take the item at once), "SharpPXE"
                "ff"),
            value);
    }
}
