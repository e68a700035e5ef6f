using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace SharpPxe.Events;

/// <summary>
/// One timeline per machine across DHCP, TFTP and HTTP: each step is a line "timeline MAC +seconds step: detail",
/// and "done" is logged when the last file the machine's boot script names (its kernel or last initrd) has been
/// served. The script is read as it is served, so the end is known for scripts SharpPXE writes and for the
/// user's own: iPXE scripts over HTTP, and PXELINUX configs (pxelinux.cfg/...) over TFTP.
/// </summary>
public sealed partial class BootTimeline
{
    /// <summary>A machine that says nothing for this long starts a new timeline.</summary>
    private static readonly TimeSpan s_quiet = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Machine> _machines = new(StringComparer.Ordinal);
    private readonly ILogger<BootTimeline> _logger;

    public BootTimeline(ILogger<BootTimeline> logger)
    {
        _logger = logger;
    }

    /// <summary>Records one step for <paramref name="mac"/>: "DHCPACK", "TFTP", "HTTP" and so on.</summary>
    public void Step(string mac, string step, string detail)
    {
        Machine machine = Touch(mac);
        TimelineLog.Step(_logger, mac, machine.Elapsed.TotalSeconds, step, detail);
    }

    /// <summary>
    /// Records that <paramref name="mac"/> was served <paramref name="file"/> (a name or path); logs "done" when it
    /// is the last file its boot script names.
    /// </summary>
    public void Served(string mac, string protocol, string file)
    {
        Machine machine = Touch(mac);
        string name = Path.GetFileName(file);
        TimelineLog.Step(_logger, mac, machine.Elapsed.TotalSeconds, protocol, name);
        if (machine.FinalFile is { } final && string.Equals(final, name, StringComparison.Ordinal))
        {
            machine.FinalFile = null;
            TimelineLog.Done(_logger, mac, machine.Elapsed.TotalSeconds, name);
        }
    }

    /// <summary>Reads a boot script as it is served, to learn the file that completes this machine's boot.</summary>
    public void ScriptServed(string mac, string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        string? last = null;
        foreach (Match line in LoadLineRegex().Matches(script))
        {
            last = Path.GetFileName(line.Groups["target"].Value);
        }

        if (last is not null)
        {
            Touch(mac).FinalFile = last;
        }
    }

    /// <summary>True for a file PXELINUX reads as its config: one in a pxelinux.cfg directory.</summary>
    public static bool IsPxelinuxConfig(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string? directory = Path.GetDirectoryName(file.Replace('\\', '/'));
        return string.Equals(Path.GetFileName(directory), "pxelinux.cfg", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads a PXELINUX config as it is served: the label it boots (DEFAULT's, else the first) names the kernel
    /// (KERNEL or LINUX) and its initrds (INITRD, else initrd= in APPEND, comma-separated, loaded in that order);
    /// the last of these completes the boot.
    /// </summary>
    public void PxelinuxConfigServed(string mac, string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (PxelinuxConfig.LastFile(config) is { } last)
        {
            Touch(mac).FinalFile = Path.GetFileName(last);
        }
    }

    private Machine Touch(string mac)
    {
        Machine machine = _machines.GetOrAdd(mac, _ => new Machine());
        if (machine.Quiet > s_quiet)
        {
            machine = new Machine();
            _machines[mac] = machine;
        }

        machine.LastSeen = Stopwatch.GetTimestamp();
        return machine;
    }

    /// <summary>iPXE commands that load an image: kernel, initrd, imgfetch, module, chain (--flags allowed).</summary>
    [GeneratedRegex(@"^\s*(?:kernel|initrd|imgfetch|module|chain|imgexec)\b(?:\s+--?\S+)*\s+(?<target>[^\s]+)",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LoadLineRegex();

    private sealed class Machine
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public long LastSeen { get; set; } = Stopwatch.GetTimestamp();

        public string? FinalFile { get; set; }

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

        public TimeSpan Quiet => Stopwatch.GetElapsedTime(LastSeen);
    }
}
