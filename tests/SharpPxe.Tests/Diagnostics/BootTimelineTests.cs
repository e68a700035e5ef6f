using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SharpPxe.Events;

namespace SharpPxe.Tests.Diagnostics;

public class BootTimelineTests
{
    private const string Mac = "52:54:00:c0:02:b1";

    [Fact]
    public void Served_LastFileTheScriptNames_LogsDone()
    {
        var lines = new ConcurrentQueue<string>();
        var timeline = new BootTimeline(new ListLogger(lines));

        timeline.Step(Mac, "DHCPACK", "198.18.0.100, file ipxe.efi");
        timeline.Served(Mac, "TFTP", "ipxe.efi");
        timeline.ScriptServed(Mac, "#!ipxe\nkernel ${base}/vmlinuz initrd=initramfs.gz console=ttyS0\n"
            + "initrd --name initramfs.gz http://198.18.0.1/initramfs.gz || goto failed\nboot\n");
        timeline.Served(Mac, "HTTP", "/boot.ipxe");
        timeline.Served(Mac, "HTTP", "/vmlinuz");
        Assert.DoesNotContain(lines, l => l.Contains(" done: ", StringComparison.Ordinal));

        timeline.Served(Mac, "HTTP", "/initramfs.gz");

        string done = Assert.Single(lines, l => l.Contains(" done: ", StringComparison.Ordinal));
        Assert.Matches(@"^timeline 52:54:00:c0:02:b1 \+\d+\.\d\ds done: initramfs.gz, the last file", done);
        Assert.Equal(6, lines.Count);
        Assert.StartsWith($"timeline {Mac} +", lines.First(), StringComparison.Ordinal);
    }

    [Fact]
    public void Served_WithoutAScript_NeverLogsDone()
    {
        var lines = new ConcurrentQueue<string>();
        var timeline = new BootTimeline(new ListLogger(lines));

        timeline.Served(Mac, "TFTP", "pxelinux.0");

        Assert.Single(lines);
        Assert.Contains("TFTP: pxelinux.0", lines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Served_LastFileThePxelinuxConfigBoots_LogsDone()
    {
        var lines = new ConcurrentQueue<string>();
        var timeline = new BootTimeline(new ListLogger(lines));
        const string Config = """
            # two labels; DEFAULT picks the second
            serial 0 115200
            DEFAULT lab
            LABEL rescue
              KERNEL rescue/vmlinuz
              APPEND initrd=rescue.gz
            label lab
              kernel boot/vmlinuz
              append initrd=boot/microcode.img,boot/initramfs.gz console=ttyS0,115200
            """;

        timeline.Served(Mac, "TFTP", "pxelinux.0");
        timeline.Served(Mac, "TFTP", "ldlinux.c32");
        Assert.True(BootTimeline.IsPxelinuxConfig("pxelinux.cfg/01-52-54-00-c0-02-b1"));
        timeline.PxelinuxConfigServed(Mac, Config);
        timeline.Served(Mac, "TFTP", "pxelinux.cfg/01-52-54-00-c0-02-b1");
        timeline.Served(Mac, "TFTP", "boot/vmlinuz");
        timeline.Served(Mac, "TFTP", "boot/microcode.img");
        Assert.DoesNotContain(lines, l => l.Contains(" done: ", StringComparison.Ordinal));

        timeline.Served(Mac, "TFTP", "boot/initramfs.gz");

        string done = Assert.Single(lines, l => l.Contains(" done: ", StringComparison.Ordinal));
        Assert.Contains("done: initramfs.gz, the last file", done, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEFAULT a\nLABEL a\n KERNEL vmlinuz\n INITRD one.gz,two.gz\n APPEND initrd=ignored.gz", "two.gz")]
    [InlineData("APPEND initrd=global.gz quiet\nLABEL a\n LINUX vmlinuz", "global.gz")]
    [InlineData("PROMPT 0\nLABEL a\n KERNEL vmlinuz\n APPEND quiet", "vmlinuz")]
    [InlineData("DEFAULT bzImage initrd=root.gz quiet", "root.gz")]
    [InlineData("# nothing to boot\nPROMPT 1", null)]
    public void PxelinuxConfig_LastFile_FollowsSyslinuxRules(string config, string? expected) =>
        Assert.Equal(expected, PxelinuxConfig.LastFile(config));

    [Theory]
    [InlineData("pxelinux.cfg/default", true)]
    [InlineData("/boot/PXELINUX.CFG/01-52-54-00-c0-02-b1", true)]
    [InlineData("pxelinux.cfg", false)]
    [InlineData("pxelinux.0", false)]
    [InlineData("other/default", false)]
    public void IsPxelinuxConfig_OnlyFilesInAPxelinuxCfgDirectory(string file, bool expected) =>
        Assert.Equal(expected, BootTimeline.IsPxelinuxConfig(file));

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger<BootTimeline>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => lines.Enqueue(formatter(state, exception));
    }
}
