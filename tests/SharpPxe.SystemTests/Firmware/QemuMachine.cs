using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SharpPxe.SystemTests.Lab;

namespace SharpPxe.SystemTests.Firmware;

/// <summary>The firmware a <see cref="QemuMachine"/> boots with.</summary>
internal enum QemuFirmware
{
    /// <summary>QEMU's built-in SeaBIOS (legacy BIOS).</summary>
    SeaBios,

    /// <summary>OVMF (edk2 UEFI x64): its code as read-only pflash plus a fresh copy of its variable store.</summary>
    Ovmf,
}

/// <summary>How to build a <see cref="QemuMachine"/>; by default BIOS (SeaBIOS) with Debian's iPXE e1000 ROM.</summary>
internal sealed record QemuMachineOptions
{
    /// <summary>The iPXE PXE ROM of the e1000 that the ipxe-qemu package installs.</summary>
    public const string IpxeE1000Rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";

    /// <summary>OVMF's code (2 MB, no secure boot) from the ovmf package.</summary>
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE.fd";

    /// <summary>The pristine variable store that matches <see cref="OvmfCode"/>; each machine gets a copy.</summary>
    public const string OvmfVars = "/usr/share/OVMF/OVMF_VARS.fd";

    /// <summary>
    /// UEFI x64 with OVMF's own PXE client (edk2 PxeBcDxe): q35, a virtio-net NIC and no option ROM at all
    /// (an iPXE EFI ROM would be booted instead of the firmware's PXE, and OVMF has no e1000 driver).
    /// </summary>
    public static QemuMachineOptions UefiPxe(string mac) => new()
    {
        Mac = mac, Firmware = QemuFirmware.Ovmf, Machine = "q35", Nic = "virtio-net-pci", RomFile = string.Empty,
    };

    /// <summary>
    /// UEFI x64 HTTP boot straight from OVMF (edk2 HttpBootDxe) on virtio-net. OVMF offers PXEv4, PXEv6, HTTPv4
    /// and HTTPv6 for a NIC, in that order; its fw_cfg switches (read by OvmfPkg's platform code) take out both
    /// PXE options and the IPv6 stack, so "UEFI HTTPv4" is the one network boot option left and runs first.
    /// </summary>
    public static QemuMachineOptions UefiHttp(string mac) => UefiPxe(mac) with
    {
        FirmwareConfig = new Dictionary<string, string>
        {
            ["opt/org.tianocore/IPv4PXESupport"] = "n",
            ["opt/org.tianocore/IPv6PXESupport"] = "n",
            ["opt/org.tianocore/IPv6Support"] = "n",
        },
    };

    /// <summary>The firmware: SeaBIOS (default) or OVMF.</summary>
    public QemuFirmware Firmware { get; init; } = QemuFirmware.SeaBios;

    /// <summary>The NIC's MAC, aa:bb:cc:dd:ee:ff (lower case, as SharpPXE logs it).</summary>
    public required string Mac { get; init; }

    /// <summary>The QEMU NIC model, e.g. "e1000".</summary>
    public string Nic { get; init; } = "e1000";

    /// <summary>The NIC's option ROM; empty for none.</summary>
    public string RomFile { get; init; } = IpxeE1000Rom;

    /// <summary>The QEMU machine type: "pc" (i440FX) for SeaBIOS, "q35" for OVMF.</summary>
    public string Machine { get; init; } = "pc";

    /// <summary>Guest memory in MiB.</summary>
    public int MemoryMiB { get; init; } = 512;

    /// <summary>Strings for the firmware through QEMU's fw_cfg (-fw_cfg name=KEY,string=VALUE).</summary>
    public IReadOnlyDictionary<string, string> FirmwareConfig { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A QEMU virtual machine that network-boots on a <see cref="NetworkLab"/> segment. QEMU runs inside the lab's
/// switch namespace on a tap of the bridge (<see cref="NetworkLab.AddTapAsync"/>), so its traffic never leaves the
/// lab; -nodefaults leaves it no other NIC. TCG only (KVM is not usable on the test machines). With -nographic,
/// -nodefaults and an explicit serial port, SeaBIOS turns on its serial console, so SeaBIOS (or OVMF), iPXE and
/// Linux all write to the serial port. The port is a unix socket that QEMU serves and waits for before the guest
/// runs: this class holds the connection (to type with <see cref="TypeAsync"/>) and drains it, and QEMU's chardev
/// logfile keeps every byte the guest wrote in a file read by <see cref="WaitForSerialAsync"/>. The process is
/// tracked by the lab and ended by PID.
/// </summary>
internal sealed class QemuMachine : IAsyncDisposable
{
    /// <summary>The QEMU program; [LabFact] names it as the needed tool.</summary>
    public const string Program = "qemu-system-x86_64";

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(15);
    private readonly Stopwatch _clock;
    private readonly Socket _serial;
    private readonly Task _drain;

    private QemuMachine(LabProcess process, string tap, string serialLog, Socket serial, QemuMachineOptions options)
    {
        Process = process;
        Tap = tap;
        SerialLog = serialLog;
        Options = options;
        _serial = serial;
        _clock = Stopwatch.StartNew();
        _drain = DrainAsync(serial);
    }

    /// <summary>The qemu process (in the switch namespace).</summary>
    public LabProcess Process { get; }

    /// <summary>The tap in the switch namespace that the VM's NIC uses.</summary>
    public string Tap { get; }

    /// <summary>The raw serial console (firmware, iPXE, Linux), a file in the lab's scratch directory.</summary>
    public string SerialLog { get; }

    /// <summary>What the machine was started with.</summary>
    public QemuMachineOptions Options { get; }

    /// <summary>The time since the guest was let run (QEMU's serial socket was connected).</summary>
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
        string serialSocket = Path.Combine(dir, "serial.sock");
        string[] args =
        [
            "-name", $"spx-{tap}", "-machine", options.Machine, "-accel", "tcg",
            "-m", options.MemoryMiB.ToString(CultureInfo.InvariantCulture), "-smp", "1",
            "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
            .. FirmwareArgs(options, dir),
            .. options.FirmwareConfig.SelectMany(c => (string[])["-fw_cfg", $"name={c.Key},string={c.Value}"]),
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            "-device", $"{options.Nic},netdev=n0,mac={options.Mac},romfile={options.RomFile},bootindex=1",
            "-boot", "n",
            "-chardev", $"socket,id=ser0,path={serialSocket},server=on,wait=on,logfile={serialLog},logappend=off",
            "-serial", "chardev:ser0",
        ];
        LabProcess process = lab.Start(lab.SwitchNamespace, Program, args, dir);
        Socket serial = await ConnectAsync(process, serialSocket);
        return new QemuMachine(process, tap, serialLog, serial, options);
    }

    /// <summary>Types <paramref name="text"/> into the serial console ("\x02" is Ctrl-B, "\r" is Enter).</summary>
    public async Task TypeAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        await _serial.SendAsync(Encoding.Latin1.GetBytes(text), SocketFlags.None);
    }

    /// <summary>
    /// Types a command line into a console that echoes what it reads, a few characters at a time, each group only
    /// after the console has echoed the one before, then Enter; returns the position after the last echo. Under
    /// SeaBIOS, serial input goes through the BIOS keyboard buffer (15 keys), and a guest slowed down by a busy
    /// host drops what it does not fetch in time. Throws like <see cref="WaitForSerialTextAsync"/>.
    /// </summary>
    public async Task<int> TypeLineAsync(string line, int from, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(line);
        const int Group = 6;
        foreach (char[] group in line.Chunk(Group))
        {
            string text = new(group);
            await TypeAsync(text);
            from = await WaitForSerialTextAsync(text, from, timeout);
        }

        await TypeAsync("\r");
        return from;
    }

    /// <summary>
    /// Waits until the serial console shows <paramref name="text"/> at or after character <paramref name="from"/>;
    /// returns the position just after it (to wait for the next prompt from there). Throws like
    /// <see cref="WaitForSerialAsync"/>.
    /// </summary>
    public async Task<int> WaitForSerialTextAsync(string text, int from, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        TimeSpan deadline = Elapsed + timeout;
        while (true)
        {
            bool exited = Process.HasExited;
            string serial = SerialText;
            int at = from <= serial.Length ? serial.IndexOf(text, from, StringComparison.Ordinal) : -1;
            if (at >= 0)
            {
                return at + text.Length;
            }

            if (exited)
            {
                throw new InvalidOperationException(
                    $"qemu ended (exit code {Process.ExitCode}) without '{text}'.\n{Describe(serial)}");
            }

            if (Elapsed >= deadline)
            {
                throw new TimeoutException($"No '{text}' within {timeout}.\n{Describe(serial)}");
            }

            await Task.Delay(s_poll);
        }
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
            if (FindLine(text, marker, exited) is { } line)
            {
                return line;
            }

            if (failMarker is not null && FindLine(text, failMarker, ended: true) is { } failed)
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
        try
        {
            if (!Process.HasExited)
            {
                await Process.StopAsync(grace: TimeSpan.FromSeconds(3));
            }
        }
        finally
        {
            _serial.Dispose();
            await _drain;
        }
    }

    private static string[] FirmwareArgs(QemuMachineOptions options, string dir)
    {
        if (options.Firmware == QemuFirmware.SeaBios)
        {
            return [];
        }

        foreach (string file in (string[])[QemuMachineOptions.OvmfCode, QemuMachineOptions.OvmfVars])
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file} is missing (package ovmf).");
            }
        }

        // A fresh variable store per machine: OVMF writes boot entries into it.
        string vars = Path.Combine(dir, "OVMF_VARS.fd");
        File.Copy(QemuMachineOptions.OvmfVars, vars);
        return
        [
            "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={QemuMachineOptions.OvmfCode}",
            "-drive", $"if=pflash,format=raw,unit=1,file={vars}",
        ];
    }

    /// <summary>Connects to QEMU's serial socket (QEMU waits for it before it runs the guest).</summary>
    private static async Task<Socket> ConnectAsync(LabProcess process, string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException) when (!process.HasExited && clock.Elapsed < s_connectTimeout)
            {
                socket.Dispose();
            }
            catch (Exception e)
            {
                socket.Dispose();
                throw new InvalidOperationException(
                    $"No serial socket {path} from qemu (pid {process.Pid}):\n{process.OutputText}", e);
            }

            await Task.Delay(s_poll);
        }
    }

    /// <summary>Reads and drops what the guest writes (the logfile keeps it) so the port never stalls.</summary>
    private static async Task DrainAsync(Socket serial)
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (await serial.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // QEMU ended or the socket was closed on dispose.
        }
        catch (ObjectDisposedException)
        {
            // Closed on dispose.
        }
    }

    /// <summary>
    /// The line from <paramref name="marker"/> to its end, or null. While the guest runs, a line still being written
    /// (no newline yet) does not count: the marker line is read whole or not at all.
    /// </summary>
    private static string? FindLine(string text, string marker, bool ended)
    {
        int at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        // From the marker on: the console's escape sequences (SeaBIOS and Linux clear the screen) come before it.
        int end = text.IndexOf('\n', at);
        if (end < 0 && !ended)
        {
            return null;
        }

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
