using SharpPxe.SystemTests.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Boot;

/// <summary>
/// One machine's boot across DHCP, TFTP and HTTP, with real clients in a namespace: every request is tied to the
/// machine's MAC, and the timeline ends with "done" when the last file of its boot script is served (issue #5).
/// </summary>
public class TimelineTests(ITestOutputHelper output)
{
    [LabFact("udhcpc", "curl")]
    public async Task Boot_DhcpTftpHttp_OneTimelinePerMacEndingWithDone()
    {
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        LabHost cli = await lab.AddHostAsync("cli", address: null);
        string netboot = lab.CreateScratchDirectory("netboot");
        await File.WriteAllTextAsync(Path.Combine(netboot, "boot.http.ipxe"),
            "#!ipxe\nkernel {{http_base}}/vmlinuz initrd=initramfs.gz console=ttyS0\n"
            + "initrd {{http_base}}/initramfs.gz\nboot\n");
        await File.WriteAllBytesAsync(Path.Combine(netboot, "vmlinuz"), new byte[300_000]);
        await File.WriteAllBytesAsync(Path.Combine(netboot, "initramfs.gz"), new byte[100_000]);
        await File.WriteAllBytesAsync(Path.Combine(netboot, "ipxe.efi"), new byte[50_000]);
        LabProcess server = await DhcpLab.StartServerAsync(srv,
        [
            "--dhcp", "--tftp", "--http", "--ipxe", "--dhcp-begin", DhcpLab.PoolBegin, "--dhcp-end", DhcpLab.PoolEnd,
            "--dhcp-router", DhcpLab.Router, "--netboot-dir", netboot,
            "--state-dir", lab.CreateScratchDirectory("state"), "--verbose", "all",
        ]);

        UdhcpcResult lease = await UdhcpcRunner.RunAsync(cli, new UdhcpcOptions
        {
            VendorClass = DhcpLab.UefiVendorClass, SendOptions = ["0x5d:0007"], ConfigureAddress = true,
        });
        Assert.Equal("ipxe.efi", lease.Lease?.BootFile);
        string server0 = DhcpLab.ServerAddress;
        foreach (string url in new[]
        {
            $"tftp://{server0}/ipxe.efi", $"http://{server0}/boot.http.ipxe", $"http://{server0}/vmlinuz",
            $"http://{server0}/initramfs.gz",
        })
        {
            ProcessResult fetched = await cli.RunAsync("curl", ["-sS", "-o", "/dev/null", "--max-time", "20", url]);
            Assert.True(fetched.ExitCode == 0, $"{url}: {fetched.Error}");
        }

        string done = await server.WaitForOutputAsync(
            l => l.Contains($"timeline {cli.MacAddress}", StringComparison.Ordinal)
                && l.Contains(" done: initramfs.gz", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        output.WriteLine(server.OutputText);
        string[] timeline = [.. server.Lines.Select(l => l.Text)
            .Where(t => t.Contains($"timeline {cli.MacAddress}", StringComparison.Ordinal))];
        Assert.Contains(timeline, t => t.Contains("DHCPACK: 198.18.0.1", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("TFTP: ipxe.efi", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: boot.http.ipxe", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("HTTP: vmlinuz", StringComparison.Ordinal));
        Assert.EndsWith("the last file of its boot, was served", done, StringComparison.Ordinal);
        Assert.Contains(server.Lines, l => l.Text.Contains("GET /vmlinuz from 198.18.0.1", StringComparison.Ordinal)
            && l.Text.Contains($"({cli.MacAddress})", StringComparison.Ordinal));
    }
}
