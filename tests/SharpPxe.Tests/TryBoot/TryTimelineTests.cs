using SharpPxe.TryBoot;

namespace SharpPxe.Tests.TryBoot;

/// <summary>The try timeline: one line per step with its time, a progress bar on a terminal, and the verdict.</summary>
public class TryTimelineTests
{
    private const string Mac = "52:54:00:5e:0c:01";
    private static readonly TryHints s_demo = new(TryFirmware.Uefi, Mac, "/srv/demo", null);
    private static readonly TryHints s_config = new(TryFirmware.Uefi, Mac, "/srv/boot", "/etc/sharppxe.json");
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(180);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static TryEvent E(TryEventKind kind, params (string Name, string Value)[] values) =>
        TryEvent.Create(kind, $"{kind} message", values.ToDictionary(v => v.Name, v => v.Value));

    /// <summary>What the server logs for OVMF's PXE: DHCP, the tsize probe and the download of ipxe.efi.</summary>
    private static void FirmwareStage(TryTimeline timeline, string file = "ipxe.efi")
    {
        timeline.OnServer(S(3.4), E(TryEventKind.DhcpReceived, ("Type", "DISCOVER"), ("Mac", Mac),
            ("Arch", "x64-uefi"), ("VendorClass", "PXEClient:Arch:00007:UNDI:003000"), ("UserClass", "-")));
        timeline.OnServer(S(3.5), E(TryEventKind.DhcpOffer, ("Address", "198.18.0.100"), ("File", file),
            ("Rule", "arch")));
        timeline.OnServer(S(7.2), E(TryEventKind.DhcpAck, ("Address", "198.18.0.100"), ("File", file)));
        timeline.OnServer(S(7.3), E(TryEventKind.TftpStarted, ("File", file), ("Bytes", "850528"),
            ("BlockSize", "1468"), ("WindowSize", "4")));
        timeline.OnServer(S(7.3), E(TryEventKind.TftpDone, ("File", file), ("Outcome", "ended by the client"),
            ("Bytes", "0"), ("Milliseconds", "1")));
        timeline.OnServer(S(7.3), E(TryEventKind.TftpStarted, ("File", file), ("Bytes", "850528"),
            ("BlockSize", "1468"), ("WindowSize", "4")));
        timeline.OnServer(S(7.35), E(TryEventKind.TftpProgress, ("File", file), ("Bytes", "425264"),
            ("Total", "850528")));
        timeline.OnServer(S(7.4), E(TryEventKind.TftpDone, ("File", file), ("Outcome", "sent"), ("Bytes", "850528"),
            ("Milliseconds", "92")));
    }

    private static void HttpStage(TryTimeline timeline)
    {
        foreach ((double at, string path, string bytes) in new[]
            { (29.6, "/boot.ipxe", "213"), (29.9, "/vmlinuz", "8247232"), (30.0, "/initramfs.gz", "1028586") })
        {
            if (path == "/initramfs.gz")
            {
                // The server logs the end of the boot just before the transfer's own line.
                timeline.OnServer(S(at), E(TryEventKind.BootDone, ("Mac", Mac), ("File", "initramfs.gz")));
            }

            timeline.OnServer(S(at), E(TryEventKind.HttpServed, ("Method", "GET"), ("Path", path),
                ("Status", "200"), ("Bytes", bytes)));
        }
    }

    [Fact]
    public void Demo_WholeBoot_OneLinePerStepInOrderThenBooted()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);

        FirmwareStage(timeline);
        HttpStage(timeline);
        timeline.OnSerial(S(32.9), "\x1b[0mEFI stub: Loaded initrd from command line option\r");
        timeline.OnSerial(S(34.6), "\x1b[2JSHARPPXE-BOOTED fw=UEFI kernel=6.1.0-57-amd64 cmdline=[vmlinuz]");
        int exit = timeline.Finish();

        Assert.Equal(0, exit);
        Assert.True(timeline.Verdict!.Booted);
        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "   3.4 s  DHCP   DISCOVER from 52:54:00:5e:0c:01 (x64-uefi, PXEClient)",
            "   3.5 s  DHCP   OFFER 198.18.0.100, file ipxe.efi (rule arch)",
            "   7.2 s  DHCP   ACK 198.18.0.100, file ipxe.efi",
            "   7.3 s  TFTP   ipxe.efi: 850,528 bytes, blksize 1468, windowsize 4",
            "   7.3 s  TFTP   ipxe.efi: the firmware asked for the size only and ended the transfer (edk2 does that "
                + "first)",
            "   7.3 s  TFTP   ipxe.efi: 850,528 bytes, blksize 1468, windowsize 4",
            "   7.4 s  TFTP   ipxe.efi: 850,528 bytes in 92 ms",
            "  29.6 s  HTTP   GET /boot.ipxe: 200, 213 bytes",
            "  29.9 s  HTTP   GET /vmlinuz: 200, 8,247,232 bytes",
            "  30.0 s  HTTP   GET /initramfs.gz: 200, 1,028,586 bytes",
            "  30.0 s  boot   initramfs.gz was the last file of the boot script: the kernel starts",
            "  32.9 s  kernel EFI stub: Loaded initrd from command line option",
            "  34.6 s  boot   SHARPPXE-BOOTED fw=UEFI kernel=6.1.0-57-amd64 cmdline=[vmlinuz]",
            "verdict: booted in 34.6 s: the demo kernel ran its /init (fw=UEFI, kernel 6.1.0-57-amd64)",
        ], lines);
    }

    [Fact]
    public void Tick_QuietAfterIpxeAck_SaysOnceThatIpxeWaitsForAnIpv6Router()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);
        FirmwareStage(timeline);
        timeline.Tick(S(14.0));
        string beforeIpxe = output.ToString();
        timeline.OnServer(S(15.1), E(TryEventKind.DhcpReceived, ("Type", "REQUEST"), ("Mac", Mac),
            ("Arch", "x64-uefi"), ("VendorClass", "PXEClient:Arch:00007:UNDI:003000"), ("UserClass", "iPXE")));
        timeline.OnServer(S(15.1), E(TryEventKind.DhcpAck, ("Address", "198.18.0.100"),
            ("File", "http://198.18.0.1/boot.ipxe")));

        timeline.Tick(S(15.1) + TryTimeline.IpxeQuietNote - S(0.1));
        string early = output.ToString();
        timeline.Tick(S(15.1) + TryTimeline.IpxeQuietNote);
        timeline.Tick(S(25.0));
        HttpStage(timeline);

        // Silence after the firmware's own TFTP is no iPXE wait; after iPXE's ACK it is, said once.
        Assert.DoesNotContain("IPv6", beforeIpxe, StringComparison.Ordinal);
        Assert.DoesNotContain("IPv6", early, StringComparison.Ordinal);
        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        string note = Assert.Single(lines, l => l.Contains("IPv6", StringComparison.Ordinal));
        Assert.Equal("  18.1 s  iPXE   waits for an IPv6 router (this network has none); about 13 s after its DHCP "
            + "it gives up and fetches its script", note);
        Assert.Contains("HTTP   GET /boot.ipxe", lines[Array.IndexOf(lines, note) + 1], StringComparison.Ordinal);
        Assert.Null(timeline.Verdict);
    }

    [Fact]
    public void Interactive_TftpTransfer_OneLineRedrawnWithABar()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: true, s_demo, s_limit);

        FirmwareStage(timeline);
        string text = output.ToString();

        Assert.Contains("\r   7.3 s  TFTP   ipxe.efi [........................]   0% of 850,528 bytes", text,
            StringComparison.Ordinal);
        Assert.Contains("\r   7.3 s  TFTP   ipxe.efi [############............]  50% of 850,528 bytes", text,
            StringComparison.Ordinal);
        Assert.Contains("\r   7.4 s  TFTP   ipxe.efi [########################] 100% of 850,528 bytes  850,528 "
            + "bytes in 92 ms" + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void NotInteractive_TftpProgress_NoRedraw()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);

        FirmwareStage(timeline);

        Assert.DoesNotContain('\r', output.ToString());
        Assert.DoesNotContain("%", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TftpRefused_PxelinuxConfigLookup_IsNoFailureUntilDefaultIsMissing()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_config, s_limit);
        timeline.OnServer(S(5.0), E(TryEventKind.TftpRefused, ("File", "pxelinux.cfg/01-52-54-00-12-34-56"),
            ("Code", "1"), ("Reason", "file not found")));
        timeline.OnServer(S(5.1), E(TryEventKind.TftpRefused, ("File", "pxelinux.cfg/C612"), ("Code", "1"),
            ("Reason", "file not found")));

        Assert.Null(timeline.Verdict);
        Assert.Contains("pxelinux.cfg/C612: not there (PXELINUX looks further)", output.ToString(),
            StringComparison.Ordinal);

        timeline.OnServer(S(5.2), E(TryEventKind.TftpRefused, ("File", "pxelinux.cfg/default"), ("Code", "1"),
            ("Reason", "file not found")));
        Assert.Equal(1, timeline.Finish());
        Assert.Equal("TFTP pxelinux.cfg/default", timeline.Verdict!.Step);
    }

    [Fact]
    public void TftpRefused_FailsAtOnceWithStepReasonAndHint()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_config, s_limit);
        timeline.OnServer(S(7.2), E(TryEventKind.DhcpAck, ("Address", "198.18.0.100"), ("File", "ipxe-x64.efi")));
        timeline.OnSerial(S(7.2), ">>Start PXE over IPv4.");

        timeline.OnServer(S(7.3), E(TryEventKind.TftpRefused, ("File", "ipxe-x64.efi"), ("Code", "1"),
            ("Reason", "file not found")));
        int exit = timeline.Finish();

        Assert.Equal(1, exit);
        Assert.Equal("TFTP ipxe-x64.efi", timeline.Verdict!.Step);
        string text = output.ToString();
        Assert.Contains("   7.3 s  TFTP   ipxe-x64.efi: refused with ERROR 1 (file not found)", text,
            StringComparison.Ordinal);
        Assert.Contains("  | >>Start PXE over IPv4.", text, StringComparison.Ordinal);
        Assert.EndsWith("verdict: FAILED at step TFTP ipxe-x64.efi: file not found (ERROR 1) — /srv/boot has no "
            + "ipxe-x64.efi: put it there, or fix the rule or setting that names it (`sharppxe explain --mac "
            + "52:54:00:5e:0c:01 --arch 7 --config /etc/sharppxe.json` shows which one)" + Environment.NewLine,
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void UefiGivenABiosLoader_FirmwareRefusesIt_HintNamesTheArchitectureMap()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_config, s_limit);
        FirmwareStage(timeline, "undionly.kpxe");

        timeline.OnSerial(S(7.5), "BdsDxe: failed to load Boot0001 \"UEFI PXEv4 (MAC:5254005E0C01)\" from "
            + "PciRoot(0x0)/Pci(0x1,0x0)/MAC(5254005E0C01,0x1)/IPv4(0.0.0.0): Unsupported");
        Assert.Null(timeline.Verdict);
        timeline.Tick(S(7.5) + TryTimeline.ServerGrace);
        timeline.Finish();

        TryVerdict verdict = timeline.Verdict!;
        Assert.False(verdict.Booted);
        Assert.Equal("TFTP undionly.kpxe", verdict.Step);
        Assert.StartsWith("the firmware could not start what it downloaded: Unsupported (BdsDxe: failed to load",
            verdict.Summary, StringComparison.Ordinal);
        Assert.StartsWith("undionly.kpxe is not an EFI program: an x64 UEFI machine needs one such as ipxe.efi",
            verdict.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void FirmwareFailureFirst_ServerRefusalWithinTheGrace_TheServersReasonWins()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_config, s_limit);
        timeline.OnServer(S(7.2), E(TryEventKind.DhcpAck, ("Address", "198.18.0.100"), ("File", "ipxe-x64.efi")));

        timeline.OnSerial(S(7.8), "PXE-E23: Client received TFTP error from server.");
        timeline.Tick(S(7.9));
        timeline.OnServer(S(7.9), E(TryEventKind.TftpRefused, ("File", "ipxe-x64.efi"), ("Code", "1"),
            ("Reason", "file not found")));

        Assert.Equal("TFTP ipxe-x64.efi", timeline.Verdict!.Step);
        Assert.Equal("file not found (ERROR 1)", timeline.Verdict.Summary);
        Assert.Contains("   7.8 s  VM     PXE-E23: Client received TFTP error from server.", output.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void FirmwareFailure_QemuEndsAfterIt_TheFirmwaresReasonIsTheVerdict()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);

        timeline.OnSerial(S(9.0), "No bootable device.");
        timeline.Ended(S(9.2), "QEMU ended (exit code 0) before the boot finished");

        Assert.Equal("the firmware found nothing to boot: No bootable device.", timeline.Verdict!.Summary);
    }

    [Fact]
    public void HttpNotFound_FailsAtThatRequest()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);

        timeline.OnServer(S(29.9), E(TryEventKind.HttpServed, ("Method", "GET"), ("Path", "/vmlinuz"),
            ("Status", "404"), ("Bytes", "0")));

        Assert.Equal("HTTP GET /vmlinuz", timeline.Verdict!.Step);
        Assert.Equal("HTTP status 404", timeline.Verdict.Summary);
        Assert.StartsWith("/srv/demo has no vmlinuz", timeline.Verdict.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Tick_PastTheLimitWithoutDhcp_FailsSayingTheFirmwareNeverAsked()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);
        timeline.Tick(S(179));
        Assert.Null(timeline.Verdict);

        timeline.Tick(S(180));

        Assert.Equal("no boot within 180 s", timeline.Verdict!.Summary);
        Assert.StartsWith("SharpPXE heard no DHCP from the VM", timeline.Verdict.Hint, StringComparison.Ordinal);
        Assert.Equal(1, timeline.Finish());
    }

    [Fact]
    public void Demo_KernelLineAlone_NotYetBooted_TheMarkerDecides()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);

        timeline.OnSerial(S(32.9), "EFI stub: Loaded initrd from command line option");

        Assert.Null(timeline.Verdict);
    }

    [Fact]
    public void Config_KernelLine_Booted()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_config, s_limit);

        timeline.OnSerial(S(31.0), "[    0.000000] Linux version 6.1.0 (debian-kernel@lists.debian.org)");

        Assert.True(timeline.Verdict!.Booted);
        Assert.Equal(0, timeline.Finish());
    }

    [Fact]
    public void Config_WholeBootServedKernelSilent_BootedAfterTheGrace()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_config, s_limit);
        HttpStage(timeline);

        timeline.Tick(S(30.0) + TryTimeline.QuietKernelGrace - S(1));
        Assert.Null(timeline.Verdict);
        timeline.Tick(S(30.0) + TryTimeline.QuietKernelGrace);

        Assert.True(timeline.Verdict!.Booted);
        Assert.Contains("served the whole boot by 30.0 s", timeline.Verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Ended_QemuGoneBeforeAVerdict_Fails_AfterAVerdict_Ignored()
    {
        using var output = new StringWriter();
        var timeline = new TryTimeline(output, interactive: false, s_demo, s_limit);
        timeline.OnServer(S(3.4), E(TryEventKind.DhcpReceived, ("Type", "DISCOVER"), ("Mac", Mac),
            ("Arch", "x64-uefi"), ("VendorClass", "PXEClient"), ("UserClass", "-")));

        timeline.Ended(S(5), "QEMU ended (exit code 1) before the boot finished");
        timeline.Ended(S(6), "interrupted");

        Assert.Equal("DHCP DISCOVER", timeline.Verdict!.Step);
        Assert.Equal("QEMU ended (exit code 1) before the boot finished", timeline.Verdict.Summary);
    }

    [Theory]
    [InlineData("\x1b[=3h\x1b[=3h>>Start PXE over IPv4.", ">>Start PXE over IPv4.")]
    [InlineData("\x1b[1;1H\x1b[2JBdsDxe: loading", "BdsDxe: loading")]
    [InlineData("  iPXE 1.0.0+ -- Open Source\x07 ", "iPXE 1.0.0+ -- Open Source")]
    public void Clean_TerminalEscapes_Removed(string raw, string expected)
    {
        Assert.Equal(expected, TrySerial.Clean(raw));
    }

    [Theory]
    [InlineData("No bootable device.", "the firmware found nothing to boot")]
    [InlineData("PXE-E16: No valid offer received.", "the firmware's PXE client gave up")]
    [InlineData("Could not boot: No such file or directory (http://ipxe.org/2d0c618e)", "iPXE could not boot")]
    [InlineData("SHARPPXE-FAILED", "the boot script failed")]
    [InlineData("Station IP address is 198.18.0.100", null)]
    public void FailureOf_FirmwareLines(string line, string? meaning)
    {
        Assert.Equal(meaning, TrySerial.FailureOf(line));
    }
}
