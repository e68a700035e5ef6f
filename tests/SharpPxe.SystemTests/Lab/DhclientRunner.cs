using System.Globalization;
using System.Text;

namespace SharpPxe.SystemTests.Lab;

/// <summary>Settings of one <see cref="DhclientRunner"/>.</summary>
internal sealed record DhclientOptions
{
    /// <summary>Option 60 to send, e.g. "PXEClient:Arch:00000:UNDI:002001"; null sends none.</summary>
    public string? VendorClass { get; init; }

    /// <summary>The dhclient.conf "request" list (option 55): 1, 3, 6, 51, 54, 66, 67 by default.</summary>
    public string RequestList { get; init; } =
        "subnet-mask, routers, domain-name-servers, dhcp-lease-time, dhcp-server-identifier, " +
        "tftp-server-name, bootfile-name";

    /// <summary>dhclient's own time limit for getting a lease ("timeout" in dhclient.conf).</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Whether the script puts the leased address on eth0 (and removes it on release).</summary>
    public bool ConfigureAddress { get; init; }

    /// <summary>More dhclient.conf statements, e.g. "send user-class \"iPXE\";".</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
}

/// <summary>
/// ISC dhclient in a lab namespace, one-shot (<c>-1 -v</c>), with its own config, lease file, pid file
/// and a script that records the variables of each event (and configures nothing unless asked). The
/// namespace has an empty resolv.conf of its own, so the host's one is never touched. After a lease
/// dhclient stays as a daemon: <see cref="ReleaseAsync"/> (<c>dhclient -r</c>) sends a DHCPRELEASE and
/// ends it; <see cref="DisposeAsync"/> does that when the test did not.
/// </summary>
internal sealed class DhclientRunner : IAsyncDisposable
{
    private readonly LabHost _host;
    private readonly DhclientOptions _options;
    private readonly string _dir;
    private bool _bound;

    public DhclientRunner(LabHost host, DhclientOptions? options = null)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _options = options ?? new DhclientOptions();
        _dir = host.Lab.CreateScratchDirectory("dhclient");
        File.WriteAllText(LeaseFile, string.Empty); // dhclient refuses a lease file that does not exist
        File.WriteAllText(ConfigFile, BuildConfig(_options));
        LabCommand.WriteExecutable(ScriptFile, BuildScript(DumpFile, _options.ConfigureAddress));
    }

    /// <summary>The config file written for this run.</summary>
    public string ConfigFile => Path.Combine(_dir, "dhclient.conf");

    /// <summary>The lease file (-lf).</summary>
    public string LeaseFile => Path.Combine(_dir, "dhclient.leases");

    /// <summary>The pid file (-pf): the daemon's PID after a lease.</summary>
    public string PidFile => Path.Combine(_dir, "dhclient.pid");

    /// <summary>The script (-sf).</summary>
    public string ScriptFile => Path.Combine(_dir, "dhclient-script");

    /// <summary>Where the script writes "event=REASON" and the variables of each event.</summary>
    public string DumpFile => Path.Combine(_dir, "events.txt");

    /// <summary>The output of every dhclient run so far.</summary>
    public string Output { get; private set; } = string.Empty;

    /// <summary>The events the script saw so far, oldest first (PREINIT, BOUND, RELEASE ...).</summary>
    public IReadOnlyList<(string Event, Dictionary<string, string> Variables)> Events => ClientLease.ReadDump(DumpFile);

    /// <summary>
    /// Runs <c>dhclient -1 -v</c> once. Returns the lease of the BOUND (or REBOOT) event, or null when
    /// dhclient gave up (exit code 2 after <see cref="DhclientOptions.TimeoutSeconds"/>).
    /// </summary>
    public async Task<ClientLease?> ObtainAsync()
    {
        int code = await RunAsync(["-1", "-v"], TimeSpan.FromSeconds(_options.TimeoutSeconds + 15));
        (string Event, Dictionary<string, string> Variables) bound = Events.LastOrDefault(
            e => e.Event is "BOUND" or "REBOOT" or "RENEW" or "REBIND");
        if (code != 0 || bound.Variables is null)
        {
            return null;
        }

        _bound = true;
        return ClientLease.FromDhclient(bound.Event, bound.Variables);
    }

    /// <summary>The daemon's PID from the pid file, when it still runs.</summary>
    public int? DaemonPid
    {
        get
        {
            string text = File.Exists(PidFile) ? File.ReadAllText(PidFile).Trim() : string.Empty;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid)
                && LabCommand.IsAlive(pid) ? pid : null;
        }
    }

    /// <summary>Runs <c>dhclient -r</c>: DHCPRELEASE, and the daemon ends. Returns its exit code.</summary>
    public async Task<int> ReleaseAsync()
    {
        int? daemon = DaemonPid;
        int code = await RunAsync(["-r", "-v"], TimeSpan.FromSeconds(15));
        _bound = false;
        if (daemon is int pid)
        {
            for (int i = 0; i < 30 && LabCommand.IsAlive(pid); i++)
            {
                await Task.Delay(100);
            }

            if (LabCommand.IsAlive(pid))
            {
                await LabCommand.SignalAsync(pid, "KILL");
            }
        }

        return code;
    }

    public async ValueTask DisposeAsync()
    {
        if (_bound)
        {
            await ReleaseAsync();
        }

        if (DaemonPid is int pid)
        {
            await LabCommand.SignalAsync(pid, "KILL");
        }
    }

    private async Task<int> RunAsync(IReadOnlyList<string> mode, TimeSpan limit)
    {
        LabProcess process = await _host.StartAsync(
            "dhclient",
            [.. mode, "-cf", ConfigFile, "-lf", LeaseFile, "-pf", PidFile, "-sf", ScriptFile, _host.InterfaceName]);
        int code = await process.WaitForExitAsync(limit);
        Output += process.OutputText + "\n";
        return code;
    }

    private static string BuildConfig(DhclientOptions options)
    {
        var conf = new StringBuilder();
        conf.Append(CultureInfo.InvariantCulture, $"timeout {options.TimeoutSeconds};\n");
        conf.Append("retry 1;\ninitial-interval 1;\nbackoff-cutoff 2;\n");
        if (options.VendorClass is not null)
        {
            conf.Append(CultureInfo.InvariantCulture, $"send vendor-class-identifier \"{options.VendorClass}\";\n");
        }

        conf.Append(CultureInfo.InvariantCulture, $"request {options.RequestList};\n");
        foreach (string line in options.ExtraConfig)
        {
            conf.Append(line).Append('\n');
        }

        return conf.ToString();
    }

    private static string BuildScript(string dumpFile, bool configure) => $$"""
        #!/bin/sh
        # dhclient -sf script of the SharpPXE lab: records each event's variables. It configures the
        # address only when the test asked for it, and never resolv.conf or routes.
        {
            echo "event=$reason"
            env | grep -E '^(new_|old_|interface=|medium=)' | sort
        } >>'{{dumpFile}}'
        if [ {{(configure ? 1 : 0)}} = 1 ]; then
            case "$reason" in
                BOUND|RENEW|REBIND|REBOOT)
                    ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
                EXPIRE|FAIL|RELEASE|STOP)
                    [ -n "$old_ip_address" ] && ip addr del "$old_ip_address/$old_subnet_mask" dev "$interface" ;;
            esac
        fi
        exit 0

        """;
}
