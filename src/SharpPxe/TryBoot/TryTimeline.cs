using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpPxe.TryBoot;

/// <summary>
/// The boot timeline of <c>sharppxe try</c> as it happens: one line per step with the seconds since QEMU started
/// (each DHCP message, each TFTP transfer with a progress bar, each HTTP file, the kernel's first line), and the
/// verdict: booted, or the step that failed, why, and what to do. On a terminal a TFTP transfer is one line redrawn
/// as it progresses; otherwise only its start and end are printed. Not thread-safe: one reader feeds it.
/// </summary>
public sealed partial class TryTimeline
{
    /// <summary>
    /// With --config the machine's own kernel may not print the marker: a fully served boot counts after this.
    /// </summary>
    public static readonly TimeSpan QuietKernelGrace = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a failure the firmware prints waits for the server's own account of it: the server knows why (a
    /// missing file, say), the firmware only that something went wrong, and its line may arrive first.
    /// </summary>
    public static readonly TimeSpan ServerGrace = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Silence after iPXE's DHCP ACK this long means iPXE is waiting for an IPv6 router: it asks with router
    /// solicitations at 0.25, 0.5, 1, 2, 4 and 8 s and fetches its script only when that gives up, about 13 s
    /// after its DHCP, on a network (such as try's) with no IPv6 router.
    /// </summary>
    public static readonly TimeSpan IpxeQuietNote = TimeSpan.FromSeconds(3);

    private const int BarWidth = 24;
    private const int SerialTailLines = 8;
    private const int MaxLineText = 100;

    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly TryHints _hints;
    private readonly TimeSpan _limit;
    private readonly Queue<string> _serialTail = new();
    private string _step = "start: the firmware has not asked for anything yet";
    private string? _lastBootFile;
    private bool _sawDhcp;
    private bool _ipxeAsked;
    private TimeSpan? _ipxeAckAt;
    private bool _ipxeWaitShown;
    private bool _kernelShown;
    private bool _bannerShown;
    private TimeSpan? _bootDoneAt;
    private string? _doneFile;
    private TryVerdict? _firmwareFailure;
    private string? _bar;
    private int _barLength;

    /// <param name="output">Where the lines go.</param>
    /// <param name="interactive">True on a terminal: TFTP progress redraws its line.</param>
    /// <param name="hints">The machine and how to explain its boot.</param>
    /// <param name="limit">How long the boot may take.</param>
    public TryTimeline(TextWriter output, bool interactive, TryHints hints, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(hints);
        _output = output;
        _interactive = interactive;
        _hints = hints;
        _limit = limit;
    }

    /// <summary>The verdict once there is one; then the run is over.</summary>
    public TryVerdict? Verdict { get; private set; }

    /// <summary>A line of the runner's own (QEMU started, and so on).</summary>
    public void Note(TimeSpan at, string tag, string text) => Line(at, tag, text);

    /// <summary>A line of the server's log.</summary>
    public void OnServer(TimeSpan at, TryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Verdict is not null)
        {
            return;
        }

        if (e.Kind != TryEventKind.HttpServed && e.Kind != TryEventKind.TftpDone)
        {
            ShowBootDone(at);
        }

        _ipxeAckAt = null;

        switch (e.Kind)
        {
            case TryEventKind.DhcpReceived:
                _sawDhcp = true;
                _ipxeAsked = string.Equals(e["UserClass"], "iPXE", StringComparison.Ordinal);
                _step = $"DHCP {e["Type"]}";
                Line(at, "DHCP", $"{e["Type"]} from {e["Mac"]} ({ClientText(e)})");
                break;
            case TryEventKind.DhcpOffer:
                _step = "DHCP OFFER";
                Line(at, "DHCP", $"OFFER {e["Address"]}, file {e["File"]} (rule {e["Rule"]})");
                break;
            case TryEventKind.DhcpAck:
                _step = "DHCP ACK";
                _lastBootFile = e["File"];
                Line(at, "DHCP", $"ACK {e["Address"]}, file {e["File"]}");
                _ipxeAckAt = _ipxeAsked ? at : null;
                break;
            case TryEventKind.DhcpNak:
                _step = "DHCP NAK";
                Line(at, "DHCP", $"NAK {e["Address"]}: {e["Reason"]}");
                break;
            case TryEventKind.TftpStarted:
                _step = $"TFTP {e["File"]}";
                TftpStarted(at, e);
                break;
            case TryEventKind.TftpProgress:
                TftpProgress(at, e);
                break;
            case TryEventKind.TftpDone:
                TftpDone(at, e);
                ShowBootDone(at);
                break;
            case TryEventKind.TftpRefused when IsLookup(e["File"]):
                // PXELINUX asks for pxelinux.cfg/<uuid>, 01-<mac>, <hex address>... before "default": a miss
                // there is how it searches, not a failure.
                Line(at, "TFTP", $"{e["File"]}: not there (PXELINUX looks further)");
                break;
            case TryEventKind.TftpRefused:
                _step = $"TFTP {e["File"]}";
                Line(at, "TFTP", $"{e["File"]}: refused with ERROR {e["Code"]} ({e["Reason"]})");
                Fail(at, $"{e["Reason"]} (ERROR {e["Code"]})", MissingFileHint(e["File"], e["Code"] == "1"));
                break;
            case TryEventKind.HttpServed:
                HttpServed(at, e);
                ShowBootDone(at);
                break;
            case TryEventKind.BootDone:
                // The server logs this just before the line of the transfer it follows: shown after that line.
                _bootDoneAt = at;
                _doneFile = e["File"];
                _step = "kernel: the last file of the boot script was served, the kernel should start";
                break;
            case TryEventKind.ServerProblem:
                Line(at, "server", e.Message);
                break;
            case TryEventKind.ServerReady:
            default:
                break;
        }
    }

    /// <summary>A line from the VM's serial console.</summary>
    public void OnSerial(TimeSpan at, string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string line = TrySerial.Clean(raw);
        if (Verdict is not null || line.Length == 0)
        {
            return;
        }

        ShowBootDone(at);
        _serialTail.Enqueue(line);
        if (_serialTail.Count > SerialTailLines)
        {
            _serialTail.Dequeue();
        }

        if (TrySerial.IsBooted(line))
        {
            string marker = TrySerial.MarkerText(line);
            Line(at, "boot", Shorten(marker));
            Succeed(at, BootedSummary(marker));
            return;
        }

        // The kernel's first line (its EFI stub's, under UEFI), and its banner when that comes later.
        bool banner = line.StartsWith("Linux version ", StringComparison.Ordinal);
        if ((!_kernelShown && TrySerial.IsKernelLine(line)) || (banner && !_bannerShown))
        {
            _kernelShown = true;
            _bannerShown |= banner;
            _step = "kernel";
            Line(at, "kernel", Shorten(line));
            if (!_hints.IsDemo)
            {
                Succeed(at, "the kernel started (its first line is above)");
            }

            return;
        }

        if (TrySerial.FailureOf(line) is { } meaning)
        {
            Line(at, "VM", Shorten(line));
            _firmwareFailure ??= new TryVerdict(false, at, $"{meaning}: {FailureDetail(line)}", _step,
                FirmwareHint(line));
        }
    }

    /// <summary>Checks the clock: the boot limit, and a served boot whose kernel stays silent (--config).</summary>
    public void Tick(TimeSpan now)
    {
        if (Verdict is not null)
        {
            return;
        }

        if (_firmwareFailure is { } failure && now - failure.Elapsed >= ServerGrace)
        {
            EndBar();
            Verdict = failure;
            return;
        }

        if (_ipxeAckAt is { } acked && !_ipxeWaitShown && now - acked >= IpxeQuietNote)
        {
            // Not a fault: say why nothing happens, once, so that the gap does not look like a hang.
            _ipxeWaitShown = true;
            _step = "iPXE: waiting for an IPv6 router before it fetches its script";
            Line(now, "iPXE", "waits for an IPv6 router (this network has none); about 13 s after its DHCP it "
                + "gives up and fetches its script");
        }

        if (!_hints.IsDemo && _bootDoneAt is { } done && now - done >= QuietKernelGrace)
        {
            Succeed(now, $"SharpPXE served the whole boot by {Seconds(done)}; the kernel wrote nothing to the "
                + "serial console (console=ttyS0,115200 on its command line shows it)");
            return;
        }

        if (now >= _limit)
        {
            string reason = $"no boot within {_limit.TotalSeconds:F0} s";
            Fail(now, reason, _sawDhcp
                ? "the serial console's last lines are above"
                : "SharpPXE heard no DHCP from the VM: its firmware never asked the network (see the serial "
                    + "console above)");
        }
    }

    /// <summary>The run ended before a verdict: QEMU or the server exited, or the user interrupted it.</summary>
    public void Ended(TimeSpan at, string reason, string? hint = null)
    {
        if (Verdict is null && _firmwareFailure is { } failure)
        {
            // What the firmware said is the better reason than its QEMU ending after it.
            EndBar();
            Verdict = failure;
        }
        else if (Verdict is null)
        {
            Fail(at, reason, hint);
        }
    }

    /// <summary>Prints the verdict (and, on failure, the serial console's last lines); returns the exit code.</summary>
    public int Finish()
    {
        EndBar();
        TryVerdict verdict = Verdict ?? _firmwareFailure
            ?? new TryVerdict(false, TimeSpan.Zero, "no verdict", _step, null);
        if (verdict.Booted)
        {
            _output.WriteLine($"verdict: booted in {Seconds(verdict.Elapsed)}: {verdict.Summary}");
            return verdict.ExitCode;
        }

        if (_serialTail.Count > 0)
        {
            _output.WriteLine("serial console, last lines:");
            foreach (string line in _serialTail)
            {
                _output.WriteLine($"  | {Shorten(line)}");
            }
        }

        string hint = verdict.Hint is null ? string.Empty : $" — {verdict.Hint}";
        _output.WriteLine($"verdict: FAILED at step {verdict.Step}: {verdict.Summary}{hint}");
        return verdict.ExitCode;
    }

    private void ShowBootDone(TimeSpan at)
    {
        if (_doneFile is { } file && Verdict is null)
        {
            _doneFile = null;
            Line(at, "boot", $"{file} was the last file of the boot script: the kernel starts");
        }
    }

    private void TftpStarted(TimeSpan at, TryEvent e)
    {
        long total = e.Number("Bytes");
        if (_interactive)
        {
            EndBar();
            _bar = e["File"];
            DrawBar(at, e["File"], 0, total, string.Empty);
            return;
        }

        Line(at, "TFTP", $"{e["File"]}: {Bytes(total)}, blksize {e["BlockSize"]}, windowsize {e["WindowSize"]}");
    }

    private void TftpProgress(TimeSpan at, TryEvent e)
    {
        if (_interactive && _bar == e["File"])
        {
            DrawBar(at, e["File"], e.Number("Bytes"), e.Number("Total"), string.Empty);
        }
    }

    private void TftpDone(TimeSpan at, TryEvent e)
    {
        string file = e["File"];
        long bytes = e.Number("Bytes");
        string outcome = e["Outcome"];
        string text = outcome switch
        {
            "sent" => $"{Bytes(bytes)} in {e["Milliseconds"]} ms",
            "ended by the client" when bytes == 0 =>
                "the firmware asked for the size only and ended the transfer (edk2 does that first)",
            _ => $"{outcome} after {Bytes(bytes)}",
        };
        if (_interactive && _bar == file)
        {
            if (outcome == "sent")
            {
                DrawBar(at, file, bytes, bytes, "  " + text);
            }
            else
            {
                // The bar gives way to the outcome on the same line.
                string line = Prefix(at, "TFTP") + $"{file}: {text}";
                _output.Write("\r" + line.PadRight(_barLength));
            }

            _output.WriteLine();
            _bar = null;
            _barLength = 0;
            return;
        }

        Line(at, "TFTP", $"{file}: {text}");
    }

    private void HttpServed(TimeSpan at, TryEvent e)
    {
        string request = $"{e["Method"]} {e["Path"]}";
        _step = $"HTTP {request}";
        long status = e.Number("Status");
        Line(at, "HTTP", $"{request}: {status}, {Bytes(e.Number("Bytes"))}");
        if (status >= 400)
        {
            string file = e["Path"].TrimStart('/');
            Fail(at, $"HTTP status {status}", MissingFileHint(file, status == 404));
        }
    }

    private string MissingFileHint(string file, bool notFound) => notFound
        ? $"{_hints.NetbootDir} has no {file}: put it there, or fix the rule or setting that names it "
            + $"(`{_hints.ExplainCommand}` shows which one)"
        : $"SharpPXE may not serve {file}; `{_hints.ExplainCommand}` shows what this machine is given";

    private string FirmwareHint(string line)
    {
        string? file = _lastBootFile;
        bool efi = file?.EndsWith(".efi", StringComparison.OrdinalIgnoreCase) == true;
        bool loaded = line.Contains("BdsDxe", StringComparison.Ordinal) || line.Contains("Could not boot",
            StringComparison.Ordinal) || line.Contains("No bootable", StringComparison.Ordinal);
        if (loaded && file is not null && !file.Contains("://", StringComparison.Ordinal))
        {
            if (_hints.Firmware == TryFirmware.Uefi && !efi)
            {
                return $"{file} is not an EFI program: an x64 UEFI machine needs one such as ipxe.efi or "
                    + $"snponly.efi; check the architecture map and rules (`{_hints.ExplainCommand}`)";
            }

            if (_hints.Firmware == TryFirmware.Bios && efi)
            {
                return $"{file} is an EFI program: a BIOS machine needs one such as undionly.kpxe; check the "
                    + $"architecture map and rules (`{_hints.ExplainCommand}`)";
            }
        }

        return $"the serial console's last lines are above; `{_hints.ExplainCommand}` shows what this machine "
            + "is given at each step";
    }

    /// <summary>The part of a failure line that says why: edk2 ends its long line with the status.</summary>
    private static string FailureDetail(string line)
    {
        int status = line.LastIndexOf(": ", StringComparison.Ordinal);
        return line.StartsWith("BdsDxe: ", StringComparison.Ordinal) && status > 0
            ? $"{line[(status + 2)..]} ({Shorten(line)})"
            : Shorten(line);
    }

    private static string ClientText(TryEvent e)
    {
        string vendor = e["VendorClass"];
        int colon = vendor.IndexOf(':', StringComparison.Ordinal);
        List<string> parts = [e["Arch"], colon > 0 ? vendor[..colon] : vendor];
        if (e["UserClass"] is { Length: > 0 } userClass && userClass != "-")
        {
            parts.Add($"user class {userClass}");
        }

        return string.Join(", ", parts.Where(p => p.Length > 0 && p != "-"));
    }

    private static string BootedSummary(string marker)
    {
        Match match = MarkerRegex().Match(marker);
        return match.Success
            ? $"the demo kernel ran its /init (fw={match.Groups["fw"].Value}, kernel {match.Groups["kernel"].Value})"
            : "the kernel ran its /init";
    }

    private void Succeed(TimeSpan at, string summary)
    {
        EndBar();
        Verdict = new TryVerdict(true, at, summary, null, null);
    }

    /// <summary>A PXELINUX config name other than pxelinux.cfg/default, which a boot loader tries in turn.</summary>
    private static bool IsLookup(string? file) =>
        file is not null && file.TrimStart('/').StartsWith("pxelinux.cfg/", StringComparison.Ordinal)
        && !file.EndsWith("/default", StringComparison.Ordinal);

    private void Fail(TimeSpan at, string reason, string? hint)
    {
        EndBar();
        Verdict = new TryVerdict(false, at, reason, _step, hint);
    }

    private void Line(TimeSpan at, string tag, string text)
    {
        EndBar();
        _output.WriteLine(Prefix(at, tag) + text);
    }

    private void DrawBar(TimeSpan at, string file, long bytes, long total, string suffix)
    {
        int filled = total <= 0 ? BarWidth : (int)Math.Min(BarWidth, bytes * BarWidth / total);
        long percent = total <= 0 ? 100 : bytes * 100 / total;
        string text = Prefix(at, "TFTP") + $"{file} [{new string('#', filled)}{new string('.', BarWidth - filled)}] "
            + $"{percent,3}% of {Bytes(total)}{suffix}";
        string pad = text.Length < _barLength ? new string(' ', _barLength - text.Length) : string.Empty;
        _output.Write("\r" + text + pad);
        _output.Flush();
        _barLength = text.Length;
    }

    /// <summary>Closes an open progress line so that the next line starts on its own.</summary>
    private void EndBar()
    {
        if (_bar is not null)
        {
            _output.WriteLine();
            _bar = null;
            _barLength = 0;
        }
    }

    private static string Prefix(TimeSpan at, string tag) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds,6:F1} s  {tag,-6} ");

    private static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F1} s");

    private static string Bytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string Shorten(string text) => text.Length <= MaxLineText ? text : text[..(MaxLineText - 3)] + "...";

    [GeneratedRegex(@"fw=(?<fw>\S+) kernel=(?<kernel>\S+)")]
    private static partial Regex MarkerRegex();
}
