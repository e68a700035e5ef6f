using System.Diagnostics;
using System.Globalization;
using System.Text;
using SharpPxe.SystemTests.Lab;

namespace SharpPxe.SystemTests.Firmware;

/// <summary>How to build a <see cref="QemuMachine"/>; by default BIOS (SeaBIOS) with Debian's iPXE e1000 ROM.</summary>
internal sealed record QemuMachineOptions
{
    /// <summary>The iPXE PXE ROM of the e1000 that the ipxe-qemu package installs.</summary>
    public const string IpxeE1000Rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";

    /// <summary>The NIC's MAC, aa:bb:cc:dd:ee:ff (lower case, as SharpPXE logs it).</summary>
    public required string Mac { get; init; }

    /// <summary>The QEMU NIC model, e.g. "e1000".</summary>
    public string Nic { get; init; } = "e1000";

    /// <summary>The NIC's option ROM; empty for none.</summary>
    public string RomFile { get; init; } = IpxeE1000Rom;

    /// <summary>The QEMU machine type: "pc" (i440FX, SeaBIOS).</summary>
    public string Machine { get; init; } = "pc";

    /// <summary>Guest memory in MiB.</summary>
    public int MemoryMiB { get; init; } = 512;
}

/// <summary>
/// A QEMU virtual machine that network-boots on a <see cref="NetworkLab"/> segment. QEMU runs inside the lab's
/// switch namespace on a tap of the bridge (<see cref="NetworkLab.AddTapAsync"/>), so its traffic never leaves the
/// lab; -nodefaults leaves it no other NIC. TCG only (KVM is not usable on the test machines). With -nographic,
/// -nodefaults and an explicit serial port, SeaBIOS turns on its serial console, so SeaBIOS, iPXE and Linux all
/// write to the serial log, a file read by <see cref="WaitForSerialAsync"/>. The process is tracked by the lab and
/// ended by PID.
/// </summary>
internal sealed class QemuMachine : IAsyncDisposable
{
    /// <summary>The QEMU program; [LabFact] names it as the needed tool.</summary>
    public const string Program = "qemu-system-x86_64";

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);
    private readonly Stopwatch _clock;

    private QemuMachine(LabProcess process, string tap, string serialLog, QemuMachineOptions options)
    {
        Process = process;
        Tap = tap;
        SerialLog = serialLog;
        Options = options;
        _clock = Stopwatch.StartNew();
    }

    /// <summary>The qemu process (in the switch namespace).</summary>
    public LabProcess Process { get; }

    /// <summary>The tap in the switch namespace that the VM's NIC uses.</summary>
    public string Tap { get; }

    /// <summary>The raw serial console (SeaBIOS, iPXE, Linux), a file in the lab's scratch directory.</summary>
    public string SerialLog { get; }

    /// <summary>What the machine was started with.</summary>
    public QemuMachineOptions Options { get; }

    /// <summary>The time since QEMU was started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The serial console so far, as text (empty when nothing was written yet).</summary>
    public string SerialText
    {
        get
        {
            try
            {
                using var stream = new FileStream(SerialLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, Encoding.Latin1);
                return reader.ReadToEnd();
            }
            catch (FileNotFoundException)
            {
                return string.Empty;
            }
        }
    }

    /// <summary>Adds a tap to the lab's main segment and starts QEMU on it, network boot first.</summary>
    public static async Task<QemuMachine> StartAsync(NetworkLab lab, QemuMachineOptions options)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RomFile.Length > 0 && !File.Exists(options.RomFile))
        {
            throw new FileNotFoundException($"The NIC ROM {options.RomFile} is missing (package ipxe-qemu).");
        }

        string tap = await lab.AddTapAsync();
        string dir = lab.CreateScratchDirectory("qemu");
        string serialLog = Path.Combine(dir, "serial.log");
        string[] args =
        [
            "-name", $"spx-{tap}", "-machine", options.Machine, "-accel", "tcg",
            "-m", options.MemoryMiB.ToString(CultureInfo.InvariantCulture), "-smp", "1",
            "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            "-device", $"{options.Nic},netdev=n0,mac={options.Mac},romfile={options.RomFile},bootindex=1",
            "-boot", "n",
            "-chardev", $"file,id=ser0,path={serialLog}", "-serial", "chardev:ser0",
        ];
        LabProcess process = lab.Start(lab.SwitchNamespace, Program, args, dir);
        return new QemuMachine(process, tap, serialLog, options);
    }

    /// <summary>
    /// Waits until the serial console shows <paramref name="marker"/>; returns its line from the marker on. Throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/>, and <see cref="InvalidOperationException"/>
    /// when <paramref name="failMarker"/> appears or QEMU ends first; the messages carry the console's tail and
    /// QEMU's own output.
    /// </summary>
    public async Task<string> WaitForSerialAsync(string marker, string? failMarker, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        TimeSpan deadline = Elapsed + timeout;
        while (true)
        {
            // Read the console before checking whether QEMU ended: its last words are in the file by then.
            bool exited = Process.HasExited;
            string text = SerialText;
            if (FindLine(text, marker) is { } line)
            {
                return line;
            }

            if (failMarker is not null && FindLine(text, failMarker) is { } failed)
            {
                throw new InvalidOperationException($"The VM printed '{failed}'.\n{Describe(text)}");
            }

            if (exited)
            {
                throw new InvalidOperationException(
                    $"qemu ended (exit code {Process.ExitCode}) without '{marker}'.\n{Describe(text)}");
            }

            if (Elapsed >= deadline)
            {
                throw new TimeoutException($"No '{marker}' within {timeout}.\n{Describe(text)}");
            }

            await Task.Delay(s_poll);
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for the guest to power itself off; true when QEMU ended.</summary>
    public async Task<bool> WaitForPowerOffAsync(TimeSpan grace)
    {
        try
        {
            await Process.WaitForExitAsync(grace);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Ends QEMU (TERM, then KILL, by PID) if it still runs. The lab would do it too on its dispose.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            await Process.StopAsync(grace: TimeSpan.FromSeconds(3));
        }
    }

    private static string? FindLine(string text, string marker)
    {
        int at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        // From the marker on: the console's escape sequences (SeaBIOS and Linux clear the screen) come before it.
        int end = text.IndexOf('\n', at);
        return text[at..(end < 0 ? text.Length : end)].TrimEnd('\r');
    }

    private string Describe(string serial)
    {
        const int Tail = 4000;
        string shown = serial.Length > Tail ? serial[^Tail..] : serial;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"VM {Options.Mac} on {Tap}, {Elapsed.TotalSeconds:F1} s after start; serial console (last {Tail} "
            + $"characters of {SerialLog}):\n{shown}\nqemu output:\n{Process.OutputText}");
    }
}
