using System.Net;
using SharpPxe.Boot;

namespace SharpPxe.Tests.Boot;

/// <summary>The built-in rules against a table of clients; see <see cref="BootClients"/> for the names.</summary>
public sealed class BootPolicyTableTests
{
    private const string Http = "http://198.18.0.2/";
    private const string Http8080 = "http://198.18.0.2:8080/";
    private const string Tftp = "tftp://198.18.0.2/";

    [Theory]
    // Without --ipxe: PyPXE's map by option 93 (which PyPXE never ran), iPXE ROMs treated as PXE ROMs.
    [InlineData("bios-pxe", "", "pxelinux.0", false, "arch")]
    [InlineData("bios-ipxe", "", "pxelinux.0", false, "arch")]
    [InlineData("bios-pxe", "chainload", "pxelinux.0", false, "arch")]
    [InlineData("ovmf-x64", "", "syslinux.efi64", false, "arch")]
    [InlineData("ipxe-efi", "http", "syslinux.efi64", false, "arch")]
    [InlineData("arch9", "", "syslinux.efi64", false, "arch")]
    [InlineData("ia32", "", "syslinux.efi32", false, "arch")]
    [InlineData("arm64", "", "pxelinux.0", false, "arch")]
    [InlineData("http-x64", "", Http + "syslinux.efi64", true, "http-boot")]
    [InlineData("http-x64", "http:8080", Http8080 + "syslinux.efi64", true, "http-boot")]
    [InlineData("http-vendor-only", "", Http + "syslinux.efi64", true, "http-boot")]
    [InlineData("arch42", "", "pxelinux.0", false, "default")]
    [InlineData("no-arch", "", "pxelinux.0", false, "default")]
    // Without --ipxe, an explicit --netboot-file goes to every client but UEFI HTTP boot.
    [InlineData("bios-pxe", "file:custom.0", "custom.0", false, "netboot-file")]
    [InlineData("ovmf-x64", "file:custom.0", "custom.0", false, "netboot-file")]
    [InlineData("bios-ipxe", "file:custom.0", "custom.0", false, "netboot-file")]
    [InlineData("arch42", "file:custom.0", "custom.0", false, "netboot-file")]
    [InlineData("http-x64", "file:custom.0", Http + "syslinux.efi64", true, "http-boot")]
    // Static rom: plain PXE always; iPXE too without --ipxe (it is just the ROM then); HTTP boot as a URL.
    [InlineData("static-pxe", "", BootClients.BoundRom, false, "static")]
    [InlineData("static-ipxe", "", BootClients.BoundRom, false, "static")]
    [InlineData("static-http", "", Http + BootClients.BoundRom, true, "static")]
    [InlineData("static-pxe", "file:custom.0", BootClients.BoundRom, false, "static")]
    [InlineData("static-pxe", "ipxe", BootClients.BoundRom, false, "static")]
    [InlineData("static-ipxe", "ipxe", Tftp + "boot.ipxe", false, "ipxe-script")]
    [InlineData("static-ipxe", "ipxe,http", Http + "boot.http.ipxe", false, "ipxe-script")]
    // With --ipxe: PXE ROMs get iPXE for their architecture.
    [InlineData("bios-pxe", "ipxe", "undionly.kpxe", false, "arch")]
    [InlineData("bios-pxe", "ipxe,chainload", "chainload.kpxe", false, "arch")]
    [InlineData("bios-plain-rom", "ipxe", "undionly.kpxe", false, "arch")]
    [InlineData("ovmf-x64", "ipxe", "ipxe.efi", false, "arch")]
    [InlineData("ovmf-x64", "ipxe,file:menu.ipxe", "ipxe.efi", false, "arch")]
    [InlineData("arch9", "ipxe", "ipxe.efi", false, "arch")]
    [InlineData("ia32", "ipxe", "ipxe-i386.efi", false, "arch")]
    [InlineData("arm32", "ipxe", "ipxe-arm32.efi", false, "arch")]
    [InlineData("arm64", "ipxe", "ipxe-arm64.efi", false, "arch")]
    [InlineData("arch42", "ipxe", "boot.ipxe", false, "default")]
    [InlineData("no-arch", "ipxe,http", "boot.http.ipxe", false, "default")]
    // With --ipxe: iPXE gets the script, by HTTP (port unless 80) or TFTP.
    [InlineData("bios-ipxe", "ipxe", Tftp + "boot.ipxe", false, "ipxe-script")]
    [InlineData("bios-ipxe", "ipxe,chainload", Tftp + "boot.ipxe", false, "ipxe-script")]
    [InlineData("bios-ipxe", "ipxe,http", Http + "boot.http.ipxe", false, "ipxe-script")]
    [InlineData("bios-ipxe", "ipxe,http:8080", Http8080 + "boot.http.ipxe", false, "ipxe-script")]
    [InlineData("bios-ipxe", "ipxe,http:8080,file:menu.ipxe", Http8080 + "menu.ipxe", false, "ipxe-script")]
    [InlineData("bios-ipxe", "ipxe,file:menu.ipxe", Tftp + "menu.ipxe", false, "ipxe-script")]
    [InlineData("bios-ipxe", "ipxe,file:http://198.18.0.9/a.ipxe", "http://198.18.0.9/a.ipxe", false, "ipxe-script")]
    [InlineData("ipxe-efi", "ipxe,http", Http + "boot.http.ipxe", false, "ipxe-script")]
    [InlineData("ipxe-listed", "ipxe", Tftp + "boot.ipxe", false, "ipxe-script")]
    // Option 175 alone counts only with dhcp.ipxeOption175.
    [InlineData("175-only", "ipxe", "undionly.kpxe", false, "arch")]
    [InlineData("175-only", "ipxe,175", Tftp + "boot.ipxe", false, "ipxe-script")]
    // With --ipxe: UEFI HTTP boot gets the architecture's iPXE as an absolute URL.
    [InlineData("http-x64", "ipxe,http", Http + "ipxe.efi", true, "http-boot")]
    [InlineData("http-x64", "ipxe,http:8080", Http8080 + "ipxe.efi", true, "http-boot")]
    [InlineData("http-arm64", "ipxe,http", Http + "ipxe-arm64.efi", true, "http-boot")]
    [InlineData("http-vendor-only", "ipxe,http", Http + "ipxe.efi", true, "http-boot")]
    public void Decide_BuiltInRules_GiveTableDecision(
        string client, string config, string bootFile, bool httpClient, string rule)
    {
        BootDecision decision = BootClients.Policy(config).Decide(BootClients.Request(client));

        Assert.Equal(new BootDecision(bootFile, IPAddress.Parse(BootClients.FileServer), httpClient, rule), decision);
    }
}
