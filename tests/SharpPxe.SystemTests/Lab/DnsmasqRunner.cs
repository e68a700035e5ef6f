namespace SharpPxe.SystemTests.Lab;

/// <summary>
/// dnsmasq as a DHCP-only reference server in a lab namespace: no DNS (port=0), no TFTP, bound to eth0
/// only, no ping before offers, lease and pid files in the lab's scratch directory, logging every DHCP
/// packet to stderr (which <see cref="Process"/> captures). No system config file is read.
/// </summary>
internal sealed class DnsmasqRunner : IAsyncDisposable
{
    private DnsmasqRunner(LabProcess process, string leaseFile)
    {
        Process = process;
        LeaseFile = leaseFile;
    }

    /// <summary>The running dnsmasq.</summary>
    public LabProcess Process { get; }

    /// <summary>dnsmasq's lease file.</summary>
    public string LeaseFile { get; }

    /// <summary>
    /// Starts dnsmasq and waits until it has announced every range. A range is dnsmasq's
    /// <c>dhcp-range</c> value, e.g. "198.18.0.100,198.18.0.199,1h"; a range for a relayed subnet
    /// needs its netmask: "198.18.1.100,198.18.1.199,255.255.255.0,1h". <paramref name="extraArgs"/> are
    /// more options, e.g. "--dhcp-option=3,198.18.0.1" or "--dhcp-boot=undionly.kpxe,,198.18.0.1".
    /// </summary>
    public static async Task<DnsmasqRunner> StartAsync(
        LabHost host, IReadOnlyList<string> ranges, IEnumerable<string>? extraArgs = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(ranges);
        string dir = host.Lab.CreateScratchDirectory("dnsmasq");
        string leaseFile = Path.Combine(dir, "dnsmasq.leases");
        List<string> args =
        [
            "--conf-file=/dev/null", "--no-daemon", "--port=0", "--no-resolv", "--no-hosts",
            $"--interface={host.InterfaceName}", "--bind-interfaces", "--no-ping", "--log-dhcp",
            "--user=root", "--group=root",
            $"--dhcp-leasefile={leaseFile}", $"--pid-file={Path.Combine(dir, "dnsmasq.pid")}",
        ];
        args.AddRange(ranges.Select(range => $"--dhcp-range={range}"));
        args.AddRange(extraArgs ?? []);

        LabProcess process = await host.StartAsync("dnsmasq", args);
        int announced = 0;
        await process.WaitForOutputAsync(
            line => line.Contains("DHCP, IP range", StringComparison.Ordinal) && ++announced == ranges.Count,
            TimeSpan.FromSeconds(10));
        return new DnsmasqRunner(process, leaseFile);
    }

    /// <summary>The lines of the lease file: "EXPIRY MAC IP NAME CLIENT-ID".</summary>
    public IReadOnlyList<string> ReadLeases() => File.Exists(LeaseFile) ? File.ReadAllLines(LeaseFile) : [];

    public async ValueTask DisposeAsync() => await Process.StopAsync();
}
