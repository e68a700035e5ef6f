using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Firmware;

/// <summary>
/// Rows 4-7 of the firmware matrix (issue #6): ProxyDHCP beside another DHCP server, the PXE boot server exchange
/// on port 4011, PXELINUX over TFTP chosen by a rule, and UEFI HTTP boot straight from OVMF. Each row asserts the
/// marker on the serial console and SharpPXE's own timeline for the machine's MAC.
/// </summary>
[Collection(nameof(FirmwareAlone))]
public class FirmwareMatrixTests(ITestOutputHelper output)
{
    private readonly FirmwareBoot _boot = new(output);

    /// <summary>
    /// Row 4, BIOS: the iPXE ROM acting as a plain PXE ROM, dnsmasq (DHCP only) giving the address and SharpPXE
    /// the boot information as ProxyDHCP: undionly.kpxe over TFTP, then the script URL to undionly's own DHCP.
    /// </summary>
    [LabFact(QemuMachine.Program, "dnsmasq")]
    public async Task Bios_PlainPxeRom_ProxyDhcpBesideDnsmasq_TftpUndionly_ThenScriptOverHttp()
    {
        const string Mac = "52:54:00:53:00:b4";
        FirmwareBootResult boot = await _boot.RunAsync(new QemuMachineOptions { Mac = Mac },
            new FirmwareServerSetup { ProxyDhcp = true }, FirmwareBoot.ActAsPlainPxeRomWithProxyDhcpAsync);

        Assert.Contains("fw=BIOS", boot.Booted, StringComparison.Ordinal);
        AssertAddressFromDnsmasq(boot, Mac);
        FirmwareBoot.AssertInOrder(boot.Timeline,
            "ProxyDHCP offer: file undionly.kpxe", "TFTP: undionly.kpxe",
            "ProxyDHCP offer: file http://198.18.0.1/boot.ipxe", "HTTP: boot.ipxe", "HTTP: vmlinuz",
            "HTTP: initramfs.gz");
    }

    /// <summary>
    /// Row 4, UEFI: OVMF's own PXE with dnsmasq (DHCP only) and SharpPXE as ProxyDHCP: ipxe.efi over TFTP, then
    /// the script URL to iPXE's DHCP, the script, kernel and initrd over HTTP.
    /// </summary>
    [LabFact(QemuMachine.Program, "dnsmasq")]
    public async Task Uefi_OvmfPxe_ProxyDhcpBesideDnsmasq_TftpIpxeEfi_ThenScriptOverHttp()
    {
        const string Mac = "52:54:00:53:00:e4";
        FirmwareBootResult boot = await _boot.RunAsync(QemuMachineOptions.UefiPxe(Mac),
            new FirmwareServerSetup { ProxyDhcp = true });

        Assert.Contains("fw=UEFI", boot.Booted, StringComparison.Ordinal);
        AssertAddressFromDnsmasq(boot, Mac);
        FirmwareBoot.AssertInOrder(boot.Timeline,
            "ProxyDHCP offer: file ipxe.efi", "TFTP: ipxe.efi",
            "ProxyDHCP offer: file http://198.18.0.1/boot.ipxe", "HTTP: boot.ipxe", "HTTP: vmlinuz",
            "HTTP: initramfs.gz");
    }

    /// <summary>
    /// Row 5: OVMF's PXE and the PXE boot server exchange. The ProxyDHCP offer withholds the file and lists
    /// SharpPXE as boot server (option 43: discovery control, boot servers, a one-item menu with prompt timeout 0),
    /// so edk2 takes the item at once, sends a DHCPREQUEST with that boot item to port 4011 and gets ipxe.efi in
    /// the DHCPACK. The iPXE it loads gets the script URL in its ProxyDHCP offer.
    /// </summary>
    [LabFact(QemuMachine.Program, "dnsmasq")]
    public async Task Uefi_OvmfPxe_ProxyDhcpWithholdsFile_BootServerOn4011NamesIpxeEfi()
    {
        const string Mac = "52:54:00:53:00:e5";
        FirmwareBootResult boot = await _boot.RunAsync(QemuMachineOptions.UefiPxe(Mac),
            new FirmwareServerSetup { ProxyDhcp = true, ExtraArgs = ["--dhcp-proxy-boot-server"] });

        Assert.Contains("fw=UEFI", boot.Booted, StringComparison.Ordinal);
        AssertAddressFromDnsmasq(boot, Mac);
        FirmwareBoot.AssertInOrder(boot.Timeline,
            "ProxyDHCP offer: file - (rule arch, file from the boot server on 4011)",
            "PXE boot server ACK: file ipxe.efi (rule arch)", "TFTP: ipxe.efi",
            "ProxyDHCP offer: file http://198.18.0.1/boot.ipxe", "HTTP: boot.ipxe", "HTTP: vmlinuz",
            "HTTP: initramfs.gz");

        // edk2 unicast its DHCPREQUEST from port 4011 to 4011 (PXE 2.1 §2.2.6); the ACK went back there.
        Assert.Single(boot.Log, l => l.Contains($"PXE boot server ACK {Mac} arch x64-uefi file ipxe.efi",
            StringComparison.Ordinal) && l.EndsWith(":4011", StringComparison.Ordinal));
    }

    /// <summary>
    /// Row 6: BIOS as a plain PXE ROM, SharpPXE the full DHCP server, and a configured rule for this MAC naming
    /// Debian's pxelinux.0. Everything goes over TFTP: pxelinux.0, ldlinux.c32, the config (pxelinux.cfg/default
    /// after the MAC- and address-named ones it asks for first), the kernel and the initrd; no HTTP at all.
    /// </summary>
    [LabFact(QemuMachine.Program)]
    public async Task Bios_PlainPxeRom_RuleForMac_PxelinuxKernelInitrdOverTftpOnly()
    {
        const string Mac = "52:54:00:53:00:b6";
        string config = $$"""
            { "rules": [ { "name": "pxelinux-lab", "match": { "mac": "{{Mac}}" }, "file": "pxelinux.0" } ] }
            """;
        FirmwareBootResult boot = await _boot.RunAsync(new QemuMachineOptions { Mac = Mac },
            new FirmwareServerSetup { ConfigJson = config }, FirmwareBoot.ActAsPlainPxeRomAsync);

        Assert.Contains("fw=BIOS", boot.Booted, StringComparison.Ordinal);
        FirmwareBoot.AssertInOrder(boot.Timeline,
            "DHCPACK: 198.18.0.100, file pxelinux.0 (rule pxelinux-lab)", "TFTP: pxelinux.0", "TFTP: ldlinux.c32",
            "TFTP: default", "TFTP: vmlinuz", "TFTP: initramfs.gz");
        Assert.DoesNotContain(boot.Timeline, t => t.Contains(" HTTP: ", StringComparison.Ordinal));
        Assert.Single(boot.Timeline, t => t.Contains("DHCPACK", StringComparison.Ordinal));
    }

    /// <summary>
    /// Row 7: UEFI HTTP boot straight from OVMF (edk2 HttpBootDxe, its PXE switched off through fw_cfg): DHCP with
    /// option 60 HTTPClient (arch 16) gets an absolute URL for ipxe.efi and the HTTPClient echo; ipxe.efi comes
    /// over HTTP, then iPXE's DHCP gets the script, and kernel and initrd follow over HTTP. No TFTP.
    /// </summary>
    [LabFact(QemuMachine.Program)]
    public async Task Uefi_OvmfHttpBoot_FullDhcp_IpxeEfiOverHttp_ThenScriptKernelInitrdOverHttp()
    {
        const string Mac = "52:54:00:53:00:e7";
        FirmwareBootResult boot = await _boot.RunAsync(QemuMachineOptions.UefiHttp(Mac));

        Assert.Contains("fw=UEFI", boot.Booted, StringComparison.Ordinal);
        FirmwareBoot.AssertInOrder(boot.Timeline,
            "DHCPACK: 198.18.0.100, file http://198.18.0.1/ipxe.efi (rule http-boot)", "HTTP: ipxe.efi",
            "DHCPACK: 198.18.0.100, file http://198.18.0.1/boot.ipxe", "HTTP: boot.ipxe", "HTTP: vmlinuz",
            "HTTP: initramfs.gz");
        Assert.DoesNotContain(boot.Timeline, t => t.Contains(" TFTP: ", StringComparison.Ordinal));

        // edk2 asked as an HTTP boot client (option 60 HTTPClient, arch 16) and took the URL; iPXE then asked as x64.
        Assert.Contains(boot.Log, l => l.Contains($"DHCPACK {Mac} arch x64-uefi-http ", StringComparison.Ordinal));
        Assert.Contains(boot.Log, l => l.Contains($"GET /ipxe.efi from 198.18.0.100 ({Mac}): 200",
            StringComparison.Ordinal));
    }

    /// <summary>The address came from dnsmasq (it ACKed this MAC); SharpPXE, the proxy, ACKed nothing.</summary>
    private static void AssertAddressFromDnsmasq(FirmwareBootResult boot, string mac)
    {
        Assert.Contains(boot.DhcpServerLog, l => l.Contains("DHCPACK(", StringComparison.Ordinal)
            && l.Contains(mac, StringComparison.Ordinal));
        Assert.DoesNotContain(boot.Timeline, t => t.Contains("DHCPACK", StringComparison.Ordinal));
        Assert.Contains(boot.Timeline, t => t.Contains("ProxyDHCP offer", StringComparison.Ordinal));
    }
}
