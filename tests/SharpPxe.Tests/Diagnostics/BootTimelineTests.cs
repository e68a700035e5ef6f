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

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger<BootTimeline>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => lines.Enqueue(formatter(state, exception));
    }
}
