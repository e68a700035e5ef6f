using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SharpPxe.SystemTests.Lab;

/// <summary>
/// A private layer-2 segment made of network namespaces, for DHCP tests. A "switch" namespace holds
/// a bridge (STP off, forward delay 0, multicast snooping off); every host is a namespace whose eth0
/// is one end of a veth pair made directly inside the namespaces, the other end being a bridge port.
/// Nothing is created in the host's own namespace. Names are <c>spx-ID-PID-ROLE</c>, ID random and PID
/// that of the test process, so parallel tests and leftovers never collide. IPv6 is off everywhere and
/// only 198.18.0.0/15 addresses are accepted. <see cref="DisposeAsync"/> ends every process the lab
/// started (by PID), deletes the links and namespaces, and may be called more than once.
/// </summary>
internal sealed partial class NetworkLab : IAsyncDisposable
{
    /// <summary>Every lab namespace starts with this.</summary>
    public const string NamePrefix = "spx-";

    /// <summary>The bridge of segment 0 (the main segment) in the switch namespace.</summary>
    public const string BridgeName = "br0";

    /// <summary>Segment 1: the client segment behind a relay (<see cref="AddRelayAsync"/>).</summary>
    public const int ClientSegment = 1;

    private const string HostInterface = "eth0";
    private static readonly IPNetwork s_benchmarkRange = new(IPAddress.Parse("198.18.0.0"), 15);
    private static readonly SemaphoreSlim s_staleCleanup = new(1, 1);
    private static bool s_staleCleaned;

    private readonly List<string> _namespaces = [];
    private readonly List<LabHost> _hosts = [];
    private readonly List<LabProcess> _processes = [];
    private readonly List<string> _taps = [];
    private readonly Lock _lock = new();
    private readonly Action<string>? _log;
    private int _disposed;
    private int _scratchCount;
    private int _portCount;
    private int _bridges = 1;

    private NetworkLab(string subnet, Action<string>? log)
    {
        _log = log;
        Subnet = subnet;
        Id = string.Create(
            CultureInfo.InvariantCulture,
            $"{RandomNumberGenerator.GetHexString(6, lowercase: true)}-{Environment.ProcessId}");
        SwitchNamespace = NamespaceFor("sw");
        TempDirectory = Directory.CreateTempSubdirectory($"{NamePrefix}{Id}-").FullName;
    }

    /// <summary>The random part of every name, "abc123-PID".</summary>
    public string Id { get; }

    /// <summary>The main segment's subnet, e.g. 198.18.0.0/24.</summary>
    public string Subnet { get; }

    /// <summary>The namespace that holds the bridge.</summary>
    public string SwitchNamespace { get; }

    /// <summary>A scratch directory for files of this lab (scripts, lease files), removed on dispose.</summary>
    public string TempDirectory { get; }

    /// <summary>Makes a new directory under <see cref="TempDirectory"/>, e.g. "dhclient-3".</summary>
    public string CreateScratchDirectory(string prefix)
    {
        int number = Interlocked.Increment(ref _scratchCount);
        string dir = Path.Combine(TempDirectory, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number}"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Every namespace this lab created, switch first.</summary>
    public IReadOnlyList<string> Namespaces
    {
        get
        {
            lock (_lock)
            {
                return [.. _namespaces];
            }
        }
    }

    /// <summary>The hosts added so far.</summary>
    public IReadOnlyList<LabHost> Hosts
    {
        get
        {
            lock (_lock)
            {
                return [.. _hosts];
            }
        }
    }

    /// <summary>True when this process may build labs: root, with ip(8) installed.</summary>
    public static bool IsSupported => Environment.IsPrivilegedProcess && LabCommand.FindProgram("ip") is not null;

    /// <summary>Creates the switch namespace and its bridge.</summary>
    /// <param name="subnet">The main segment, inside 198.18.0.0/15.</param>
    /// <param name="log">Optional sink for the lab's commands and clean-up (e.g. ITestOutputHelper.WriteLine).</param>
    public static async Task<NetworkLab> CreateAsync(string subnet = "198.18.0.0/24", Action<string>? log = null)
    {
        ParseAddress(subnet);
        await CleanupStaleOnceAsync(log);
        var lab = new NetworkLab(subnet, log);
        try
        {
            await lab.AddNamespaceAsync(lab.SwitchNamespace);
            await lab.AddBridgeAsync(BridgeName);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>"198.18.0.N/prefix" on the main segment, e.g. <c>AddressAt(1)</c> = "198.18.0.1/24".</summary>
    public string AddressAt(int hostNumber)
    {
        (IPAddress network, int prefix) = ParseAddress(Subnet);
        byte[] bytes = network.GetAddressBytes();
        uint value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + (uint)hostNumber;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}/{prefix}");
    }

    /// <summary>
    /// Adds a host on the segment: namespace <c>spx-ID-NAME</c>, lo up, eth0 with the MAC (random
    /// 02:53:xx:xx:xx:xx when null) and the address ("198.18.0.1/24"; null for a DHCP client). An empty
    /// /etc/netns/NS/resolv.conf is made so no client script run there can rewrite the host's resolver.
    /// The name is 1 to 12 characters a-z, 0-9, unique in this lab. Segment 0 is the main segment,
    /// <see cref="ClientSegment"/> the one behind a relay; each segment is a bridge in the switch namespace.
    /// </summary>
    public async Task<LabHost> AddHostAsync(string name, string? address, string? mac = null, int segment = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segment, 9);
        if (!HostNameRegex().IsMatch(name))
        {
            throw new ArgumentException("A host name is 1-12 characters a-z, 0-9.", nameof(name));
        }

        if (address is not null)
        {
            ParseAddress(address);
        }

        mac ??= "02:53:" + string.Join(':', RandomNumberGenerator.GetHexString(8, lowercase: true).Chunk(2)
            .Select(pair => new string(pair)));
        if (!MacRegex().IsMatch(mac))
        {
            throw new ArgumentException("A MAC is written aa:bb:cc:dd:ee:ff.", nameof(mac));
        }

        string ns = NamespaceFor(name);
        lock (_lock)
        {
            if (_hosts.Any(h => h.Name == name))
            {
                throw new ArgumentException($"The lab already has a host {name}.", nameof(name));
            }

            _hosts.Add(new LabHost(this, name, ns, HostInterface, mac, address));
        }

        await AddNamespaceAsync(ns);
        await AttachAsync(ns, HostInterface, mac, segment);
        if (address is not null)
        {
            await IpAsync("-n", ns, "addr", "add", address, "dev", HostInterface);
        }

        await IpAsync("-n", ns, "link", "set", HostInterface, "up");
        return Hosts.Single(h => h.Name == name);
    }

    /// <summary>
    /// Adds a tap device ("tap0", "tap1", ...) in the switch namespace as a port of the segment's bridge, up, for
    /// a virtual machine started in <see cref="SwitchNamespace"/> (qemu <c>-netdev tap,ifname=NAME</c>). It is
    /// deleted on dispose. Returns the tap's name.
    /// </summary>
    public async Task<string> AddTapAsync(int segment = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segment, 9);
        await EnsureBridgeAsync(segment);

        string tap;
        lock (_lock)
        {
            tap = string.Create(CultureInfo.InvariantCulture, $"tap{_taps.Count}");
            _taps.Add(tap);
        }

        await IpAsync("-n", SwitchNamespace, "tuntap", "add", "dev", tap, "mode", "tap");
        await IpAsync("-n", SwitchNamespace, "link", "set", tap, "master", BridgeFor(segment), "up");
        return tap;
    }

    /// <summary>
    /// Adds a relay/router host: eth0 on the main segment with <paramref name="serverSideAddress"/>, and eth1
    /// on the client segment (<see cref="ClientSegment"/>) with <paramref name="clientSideAddress"/>, e.g.
    /// 198.18.1.1/24; IP forwarding is on. Give the server a route to the client subnet via this host.
    /// </summary>
    public async Task<LabHost> AddRelayAsync(string name, string serverSideAddress, string clientSideAddress)
    {
        ParseAddress(clientSideAddress);
        LabHost relay = await AddHostAsync(name, serverSideAddress);
        await AttachAsync(relay.Namespace, LabHost.RelayInterface, mac: null, ClientSegment);
        await IpAsync("-n", relay.Namespace, "addr", "add", clientSideAddress, "dev", LabHost.RelayInterface);
        await IpAsync("-n", relay.Namespace, "link", "set", LabHost.RelayInterface, "up");
        await LabCommand.IpAsync(
            "netns", "exec", relay.Namespace, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        relay.ClientSideAddress = clientSideAddress;
        return relay;
    }

    /// <summary>
    /// Removes what an earlier, crashed test run left: only <c>spx-</c> namespaces whose owner process (the
    /// PID in the name) is gone and that hold no process, and the scratch directories of such owners.
    /// Returns the names removed. <see cref="CreateAsync"/> runs it once per test process.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CleanupStaleAsync()
    {
        List<string> removed = [];
        foreach (string ns in await ListNamespacesAsync())
        {
            Match match = StaleNameRegex().Match(ns);
            if (!match.Success
                || LabCommand.IsAlive(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
                || (await LabCommand.IpAsync("netns", "pids", ns)).Trim().Length > 0)
            {
                continue;
            }

            await LabCommand.IpAsync("netns", "del", ns);
            DeleteNetnsEtc(ns);
            removed.Add(ns);
        }

        foreach (string dir in Directory.EnumerateDirectories(Path.GetTempPath(), NamePrefix + "*"))
        {
            Match match = StaleNameRegex().Match(Path.GetFileName(dir));
            if (match.Success && !LabCommand.IsAlive(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)))
            {
                Directory.Delete(dir, recursive: true);
                removed.Add(dir);
            }
        }

        return removed;
    }

    private static async Task CleanupStaleOnceAsync(Action<string>? log)
    {
        await s_staleCleanup.WaitAsync();
        try
        {
            if (!s_staleCleaned)
            {
                s_staleCleaned = true;
                IReadOnlyList<string> removed = await CleanupStaleAsync();
                if (removed.Count > 0)
                {
                    log?.Invoke($"removed leftovers of earlier runs: {string.Join(' ', removed)}");
                }
            }
        }
        finally
        {
            s_staleCleanup.Release();
        }
    }

    /// <summary>The names <c>ip netns list</c> shows now.</summary>
    public static async Task<IReadOnlyList<string>> ListNamespacesAsync()
    {
        string list = await LabCommand.IpAsync("netns", "list");
        return [.. list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<string> errors = [];
        LabProcess[] processes;
        string[] namespaces;
        lock (_lock)
        {
            processes = [.. _processes];
            namespaces = [.. _namespaces];
        }

        await Task.WhenAll(processes.Select(p => StopQuietlyAsync(p, errors)));
        foreach (string ns in namespaces)
        {
            await Attempt(errors, () => EndLeftoverProcessesAsync(ns));
        }

        foreach (LabHost host in Hosts)
        {
            await Attempt(errors, () => DeleteLinkAsync(host.Namespace, LabHost.RelayInterface));
            await Attempt(errors, () => DeleteLinkAsync(host.Namespace, host.InterfaceName));
        }

        string[] taps;
        lock (_lock)
        {
            taps = [.. _taps];
        }

        foreach (string tap in taps)
        {
            await Attempt(errors, () => DeleteLinkAsync(SwitchNamespace, tap));
        }

        for (int segment = _bridges - 1; segment >= 0; segment--)
        {
            string bridge = BridgeFor(segment);
            await Attempt(errors, () => DeleteLinkAsync(SwitchNamespace, bridge));
        }
        IReadOnlyList<string> present = await ListNamespacesAsync();
        foreach (string ns in namespaces.Reverse())
        {
            if (present.Contains(ns))
            {
                await Attempt(errors, () => LabCommand.IpAsync("netns", "del", ns));
            }

            DeleteNetnsEtc(ns);
        }

        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (IOException e)
        {
            errors.Add(e.Message);
        }

        foreach (LabProcess process in processes)
        {
            process.Dispose();
        }

        Log($"lab {Id}: removed {string.Join(' ', namespaces)}");
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Lab {Id} clean-up failed:\n{string.Join('\n', errors)}");
        }
    }

    /// <summary>Starts a program in a namespace of this lab and tracks it for <see cref="DisposeAsync"/>.</summary>
    internal LabProcess Start(string ns, string program, IEnumerable<string> args, string? workingDirectory)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        LabProcess process = LabProcess.Start(ns, program, args, workingDirectory ?? TempDirectory);
        lock (_lock)
        {
            _processes.Add(process);
        }

        Log($"lab {Id}: pid {process.Pid} in {ns}: {process.CommandLine}");
        return process;
    }

    /// <summary>Runs ip(8) and logs the command.</summary>
    internal Task<string> IpAsync(params string[] args)
    {
        Log("ip " + string.Join(' ', args));
        return LabCommand.IpAsync(args);
    }

    /// <summary>Parses "a.b.c.d/prefix" (or a plain address) and checks it lies in 198.18.0.0/15.</summary>
    internal static (IPAddress Address, int Prefix) ParseAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length > 2
            || !IPAddress.TryParse(parts[0], out IPAddress? address)
            || !s_benchmarkRange.Contains(address))
        {
            throw new ArgumentException($"{text}: lab addresses come from 198.18.0.0/15 only.", nameof(text));
        }

        int prefix = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 32;
        return (address, prefix);
    }

    private string NamespaceFor(string role) => $"{NamePrefix}{Id}-{role}";

    private static string BridgeFor(int segment) => string.Create(CultureInfo.InvariantCulture, $"br{segment}");

    private async Task AddBridgeAsync(string bridge)
    {
        await IpAsync(
            "-n", SwitchNamespace, "link", "add", bridge, "type", "bridge",
            "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0");
        await IpAsync("-n", SwitchNamespace, "link", "set", bridge, "up");
    }

    /// <summary>Makes the bridges up to the segment's, on demand.</summary>
    private async Task EnsureBridgeAsync(int segment)
    {
        while (_bridges <= segment)
        {
            await AddBridgeAsync(BridgeFor(_bridges));
            _bridges++;
        }
    }

    /// <summary>Makes a veth pair: IFNAME in NS, its peer a port of the segment's bridge (made on demand).</summary>
    private async Task AttachAsync(string ns, string interfaceName, string? mac, int segment)
    {
        await EnsureBridgeAsync(segment);

        // The switch-side end's name only has to be unique inside the switch namespace.
        string port = string.Create(CultureInfo.InvariantCulture, $"p{Interlocked.Increment(ref _portCount)}");
        string[] address = mac is null ? [] : ["address", mac];
        await IpAsync(
            ["-n", ns, "link", "add", interfaceName, .. address, "type", "veth", "peer", "name", port,
             "netns", SwitchNamespace]);
        await IpAsync("-n", SwitchNamespace, "link", "set", port, "master", BridgeFor(segment), "up");
    }

    private async Task AddNamespaceAsync(string ns)
    {
        await IpAsync("netns", "add", ns);
        lock (_lock)
        {
            _namespaces.Add(ns);
        }

        await LabCommand.IpAsync(
            "netns", "exec", ns, "sysctl", "-qw",
            "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        await LabCommand.IpAsync("-n", ns, "link", "set", "lo", "up");

        // 'ip netns exec NS' bind-mounts /etc/netns/NS/resolv.conf over /etc/resolv.conf.
        string etc = Path.Combine("/etc/netns", ns);
        Directory.CreateDirectory(etc);
        await File.WriteAllTextAsync(Path.Combine(etc, "resolv.conf"), string.Empty);
    }

    private async Task EndLeftoverProcessesAsync(string ns)
    {
        // Only processes started by this lab (and their children, e.g. a daemonised dhclient) can
        // live in its uniquely named namespaces. End them one by one, by PID.
        string pids = await LabCommand.IpAsync("netns", "pids", ns);
        foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int id = int.Parse(pid, CultureInfo.InvariantCulture);
            string command = ReadCommandLine(id);
            Log($"lab {Id}: ending leftover pid {id} in {ns}: {command}");
            await LabCommand.SignalAsync(id, "TERM");
            for (int i = 0; i < 30 && LabCommand.IsAlive(id); i++)
            {
                await Task.Delay(100);
            }

            if (LabCommand.IsAlive(id))
            {
                await LabCommand.SignalAsync(id, "KILL");
            }
        }
    }

    private async Task DeleteLinkAsync(string ns, string link)
    {
        ProcessResult show = await ProcessRunner.RunAsync(
            "ip", ["-n", ns, "link", "show", link], TimeSpan.FromSeconds(15));
        if (show.ExitCode == 0)
        {
            await IpAsync("-n", ns, "link", "del", link);
        }
    }

    private async Task StopQuietlyAsync(LabProcess process, List<string> errors)
    {
        try
        {
            int code = await process.StopAsync(grace: TimeSpan.FromSeconds(3));
            Log($"lab {Id}: pid {process.Pid} ({process.CommandLine}) ended, exit code {code}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            lock (errors)
            {
                errors.Add($"pid {process.Pid}: {e.Message}");
            }
        }
    }

    private static async Task Attempt(List<string> errors, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            errors.Add(e.Message);
        }
    }

    private static void DeleteNetnsEtc(string ns)
    {
        string etc = Path.Combine("/etc/netns", ns);
        if (Directory.Exists(etc))
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private void Log(string message)
    {
        try
        {
            _log?.Invoke(message);
        }
        catch (InvalidOperationException)
        {
            // The test's output helper is no longer active; the message is not essential.
        }
    }

    [GeneratedRegex("^[a-z0-9]{1,12}$")]
    private static partial Regex HostNameRegex();

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacRegex();

    [GeneratedRegex("^spx-[0-9a-f]{6}-([0-9]+)-")]
    private static partial Regex StaleNameRegex();
}
