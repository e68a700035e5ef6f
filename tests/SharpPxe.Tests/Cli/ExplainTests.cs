namespace SharpPxe.Tests.Cli;

/// <summary>`sharppxe explain` for three clients: the rule, and what DHCP, TFTP and HTTP would serve.</summary>
public class ExplainTests
{
    [Fact]
    public void Explain_BiosPxeClientWithIpxe_ShowsUndionlyThenTheScript()
    {
        using var dir = new TempDir();
        string netboot = dir.Dir("netboot");
        dir.File("netboot/undionly.kpxe", "x");
        dir.File("netboot/boot.http.ipxe", "#!ipxe\n");

        CliResult result = CliRunner.Run("explain", "--mac", "52:54:00:00:00:01", "--arch", "0", "--ipxe", "--http",
            "--dhcp-fileserver", "198.18.0.1", "--netboot-dir", netboot);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n');
        Assert.Contains("rule:   arch (built-in)", lines);
        Assert.Contains("DHCP:   file undionly.kpxe, next server 198.18.0.1", lines);
        Assert.Contains($"TFTP:   RRQ undionly.kpxe -> {netboot}/undionly.kpxe", lines);
        Assert.Contains("then iPXE, chain-loaded, asks again with user class iPXE:", lines);
        Assert.Contains("rule:   ipxe-script (built-in)", lines);
        Assert.Contains("DHCP:   file http://198.18.0.1/boot.http.ipxe, next server 198.18.0.1", lines);
        Assert.Contains(lines, l => l.StartsWith($"HTTP:   GET /boot.http.ipxe -> {netboot}/boot.http.ipxe",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_UefiClientWithoutIpxe_ShowsPyPxesFileMissing()
    {
        using var dir = new TempDir();
        string netboot = dir.Dir("netboot");

        CliResult result = CliRunner.Run("explain", "--mac", "52:54:00:00:00:02", "--arch", "7",
            "--dhcp-fileserver", "198.18.0.1", "--netboot-dir", netboot);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n');
        Assert.Contains("client: mac 52:54:00:00:00:02, arch 7 (x64-uefi), user class -, vendor class "
            + "PXEClient:Arch:00007", lines);
        Assert.Contains("DHCP:   file syslinux.efi64, next server 198.18.0.1", lines);
        Assert.Contains(lines, l => l.StartsWith("TFTP:   RRQ syslinux.efi64 -> MISSING", StringComparison.Ordinal));
        Assert.DoesNotContain("then iPXE, chain-loaded, asks again with user class iPXE:", lines);
    }

    [Fact]
    public void Explain_IpxeClientMatchingAKernelRule_ShowsTheWrittenScript()
    {
        using var dir = new TempDir();
        string config = dir.File("c.json", """
            { "ipxe": true, "http": { "enabled": true, "port": 8080 }, "dhcp": { "fileServer": "198.18.0.1" },
              "rules": [ { "name": "lab", "match": { "macPrefix": "52:54:00:c0" }, "kernel": "vmlinuz",
                           "initrds": ["initramfs.gz"], "dhcpOptions": { "252": "hex:01" } } ] }
            """);

        CliResult result = CliRunner.Run("explain", "--config", config, "--mac", "52:54:00:c0:02:b1", "--arch", "7",
            "--user-class", "iPXE", "--netboot-dir", dir.Dir("netboot"));

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n');
        Assert.Contains("rule:   lab (configured)", lines);
        Assert.Contains("DHCP:   file http://198.18.0.1:8080/sharppxe/rules/0.ipxe, next server 198.18.0.1, "
            + "option 252 = 01", lines);
        Assert.Contains("HTTP:   GET /sharppxe/rules/0.ipxe -> a script SharpPXE writes for the rule's kernel, "
            + "initrds and command line", lines);
    }

    [Theory]
    [InlineData("--mac", "52:54:00:zz:00:01", "--mac")]
    [InlineData("--arch", "70000", "--arch")]
    public void Explain_BadClient_ExitsTwoNamingTheFlag(string flag, string value, string named)
    {
        string[] args = flag == "--mac"
            ? ["explain", "--mac", value]
            : ["explain", "--mac", "52:54:00:00:00:01", flag, value];

        CliResult result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }
}
