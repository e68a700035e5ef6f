using SharpPxe.SystemTests.Dhcp;
using SharpPxe.SystemTests.Lab;
using Xunit.Abstractions;

namespace SharpPxe.SystemTests.Firmware;

/// <summary>How SharpPXE (and whoever else answers DHCP on the segment) is set up for one firmware boot.</summary>
internal sealed record FirmwareServerSetup
{
    /// <summary>The address of the separate DHCP server (dnsmasq) in ProxyDHCP mode.</summary>
    public const string DhcpServerAddress = "198.18.0.2";

    /// <summary>
    /// False (default): SharpPXE is the full DHCP server. True: dnsmasq (DHCP only, no boot information) hands
    /// out the addresses from <see cref="DhcpServerAddress"/> and SharpPXE runs with --dhcp-proxy.
    /// </summary>
    public bool ProxyDhcp { get; init; }

    /// <summary>More sharppxe flags, e.g. --dhcp-proxy-boot-server.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>A SharpPXE JSON config (e.g. boot rules), written to a file and passed with --config.</summary>
    public string? ConfigJson { get; init; }

    /// <summary>The file that completes the boot: the server's timeline logs "done" when it is served.</summary>
    public string LastFile { get; init; } = "initramfs.gz";

    /// <summary>How long the firmware gets to reach the marker (3 times a nominal TCG boot).</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>What one firmware boot showed: the marker line, SharpPXE's timeline for the MAC, its whole log.</summary>
internal sealed record FirmwareBootResult(string Booted, string[] Timeline, string[] Log)
{
    /// <summary>The separate DHCP server's log (dnsmasq, ProxyDHCP mode); empty otherwise.</summary>
    public string[] DhcpServerLog { get; init; } = [];

    /// <summary>From the guest's start to the marker.</summary>
    public TimeSpan BootTime { get; init; }
}

/// <summary>
/// Boots one QEMU machine from a fresh lab and SharpPXE (DHCP or ProxyDHCP beside dnsmasq, TFTP, HTTP) for the
/// firmware tests (issue #6): waits for the marker of the netboot tree's initramfs and the guest's power-off, then
/// for the server's "done" for that MAC. Everything runs in the lab's namespaces and is ended by PID.
/// </summary>
internal sealed class FirmwareBoot(ITestOutputHelper output)
{
    public const string BootedMarker = "SHARPPXE-BOOTED";
    public const string FailedMarker = "SHARPPXE-FAILED";
    public static readonly TimeSpan PromptTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts the servers of <paramref name="setup"/> and the machine of <paramref name="options"/>;
    /// <paramref name="console"/> may type into its console first. Asserts the marker (its command line names the
    /// initrd), the power-off and the timeline's "done" for the MAC.
    /// </summary>
    public async Task<FirmwareBootResult> RunAsync(
        QemuMachineOptions options, FirmwareServerSetup? setup = null, Func<QemuMachine, Task>? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        setup ??= new FirmwareServerSetup();
        string netboot = NetbootTree();
        string mac = options.Mac;
        await using NetworkLab lab = await NetworkLab.CreateAsync(log: output.WriteLine);
        LabHost srv = await lab.AddHostAsync("srv", $"{DhcpLab.ServerAddress}/24");
        DnsmasqRunner? dnsmasq = null;
        if (setup.ProxyDhcp)
        {
            LabHost dhcp = await lab.AddHostAsync("dhcp", $"{FirmwareServerSetup.DhcpServerAddress}/24");
            dnsmasq = await DnsmasqRunner.StartAsync(dhcp, ["198.18.0.150,198.18.0.199,1h"]);
        }

        LabProcess server = await DhcpLab.StartServerAsync(srv, ServerArgs(lab, netboot, setup));
        if (setup.ProxyDhcp)
        {
            await server.WaitForOutputAsync(
                l => l.Contains("PXE boot server listening", StringComparison.Ordinal), DhcpLab.StartTimeout);
        }

        output.WriteLine($"sharppxe: {server.CommandLine}");
        await using QemuMachine vm = await QemuMachine.StartAsync(lab, options);
        string booted;
        try
        {
            if (console is not null)
            {
                await console(vm);
            }

            booted = await vm.WaitForSerialAsync(BootedMarker, FailedMarker, setup.BootTimeout);
        }
        finally
        {
            output.WriteLine($"--- serial console of {mac}, {vm.Elapsed.TotalSeconds:F1} s ---");
            output.WriteLine(vm.SerialText);
            output.WriteLine("--- sharppxe ---");
            output.WriteLine(server.OutputText);
            if (dnsmasq is not null)
            {
                output.WriteLine("--- dnsmasq ---");
                output.WriteLine(dnsmasq.Process.OutputText);
            }
        }

        TimeSpan bootTime = vm.Elapsed;
        output.WriteLine($"booted after {bootTime.TotalSeconds:F1} s: {booted}");
        Assert.Contains("initrd=initramfs.gz", booted, StringComparison.Ordinal);
        Assert.True(await vm.WaitForPowerOffAsync(TimeSpan.FromSeconds(15)), "The VM did not power itself off.");

        // The server saw the whole boot as one machine's timeline, to the file that ends it.
        string done = $" done: {setup.LastFile}, the last file of its boot, was served";
        await server.WaitForOutputAsync(
            l => l.Contains($"timeline {mac}", StringComparison.Ordinal) && l.EndsWith(done, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        string[] log = [.. server.Lines.Select(l => l.Text)];
        string[] timeline = [.. log.Where(t => t.Contains($"timeline {mac}", StringComparison.Ordinal))];
        return new FirmwareBootResult(booted, timeline, log)
        {
            DhcpServerLog = dnsmasq is null ? [] : [.. dnsmasq.Process.Lines.Select(l => l.Text)],
            BootTime = bootTime,
        };
    }

    /// <summary>
    /// The lab's PLAIN_PXE at the iPXE ROM's prompt (LAB.md pitfalls 4 and 5): Ctrl-B, a non-iPXE user class for
    /// a DHCPv4-only exchange, the class cleared again, then a chain to the boot file from that DHCP.
    /// </summary>
    public static Task ActAsPlainPxeRomAsync(QemuMachine vm) => TypePlainPxeAsync(vm, "chain ${filename}");

    /// <summary>
    /// <see cref="ActAsPlainPxeRomAsync"/> beside a separate DHCP server: a PXE ROM takes the boot file and the
    /// server to fetch it from both from the ProxyDHCP offer (PXE 2.1 §2.2.3). At iPXE's prompt that has to be
    /// said: ${next-server} would be the DHCP server's siaddr, and iPXE keeps the two replies apart as the
    /// settings blocks "dhcp" and "proxydhcp".
    /// </summary>
    public static Task ActAsPlainPxeRomWithProxyDhcpAsync(QemuMachine vm) =>
        TypePlainPxeAsync(vm, "chain tftp://${proxydhcp/next-server}/${proxydhcp/filename}");

    private static async Task TypePlainPxeAsync(QemuMachine vm, string chain)
    {
        ArgumentNullException.ThrowIfNull(vm);
        int at = await vm.WaitForSerialTextAsync("Press Ctrl-B for the iPXE command line", 0, PromptTimeout);
        await vm.TypeAsync("\x02");
        string[] commands = ["set user-class LAB-PLAIN-PXE", "ifconf -c dhcp", "clear user-class", chain];
        foreach (string command in commands)
        {
            at = await vm.WaitForSerialTextAsync("iPXE> ", at, PromptTimeout);
            at = await vm.TypeLineAsync(command, at, PromptTimeout);
        }
    }

    /// <summary>Asserts that <paramref name="steps"/> appear in the timeline in this order (others may sit
    /// between).</summary>
    public static void AssertInOrder(string[] timeline, params string[] steps)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        int from = 0;
        foreach (string step in steps)
        {
            int at = Array.FindIndex(timeline, from, t => t.Contains(step, StringComparison.Ordinal));
            Assert.True(at >= 0, $"No '{step}' after line {from} of the timeline:\n{string.Join('\n', timeline)}");
            from = at + 1;
        }
    }

    private static string[] ServerArgs(NetworkLab lab, string netboot, FirmwareServerSetup setup)
    {
        string[] dhcp = setup.ProxyDhcp
            ? ["--dhcp-proxy"]
            : ["--dhcp", "--dhcp-begin", DhcpLab.PoolBegin, "--dhcp-end", DhcpLab.PoolEnd,
                "--dhcp-router", DhcpLab.Router];
        string[] config = [];
        if (setup.ConfigJson is { } json)
        {
            string file = Path.Combine(lab.CreateScratchDirectory("config"), "sharppxe.json");
            File.WriteAllText(file, json);
            config = ["--config", file];
        }

        return
        [
            .. config, .. dhcp, "--ipxe", "--http", "--tftp", "--netboot-dir", netboot, "--netboot-file", "boot.ipxe",
            "--state-dir", lab.CreateScratchDirectory("state"), "--verbose", "all", .. setup.ExtraArgs,
        ];
    }

    /// <summary>The tree of scripts/make-netboot (run by scripts/setup); fails with a hint when missing.</summary>
    private static string NetbootTree()
    {
        string dir = RepoPaths.Of(".state/netboot");
        string[] missing = [.. new[] { "vmlinuz", "initramfs.gz", "boot.ipxe", "pxelinux.0", "ldlinux.c32" }
            .Where(f => !File.Exists(Path.Combine(dir, f)))];
        Assert.True(missing.Length == 0,
            $"{dir} lacks {string.Join(", ", missing)}: run scripts/setup (or scripts/make-netboot).");
        return dir;
    }
}
