namespace SharpPxe.SystemTests.Lab;

/// <summary>Settings of one <see cref="UdhcpcRunner"/> run.</summary>
internal sealed record UdhcpcOptions
{
    /// <summary>Option 60 (-V); null leaves udhcpc's own "udhcp 1.35.0".</summary>
    public string? VendorClass { get; init; }

    /// <summary>Options to request (-O), added to udhcpc's defaults: 66 and 67.</summary>
    public IReadOnlyList<int> RequestOptions { get; init; } = [66, 67];

    /// <summary>Options to send (-x CODE:HEX), e.g. "0x5d:0007" (architecture 7, x64 UEFI).</summary>
    public IReadOnlyList<string> SendOptions { get; init; } = [];

    /// <summary>
    /// DISCOVERs to send (-t), one second apart (-T 1): ten give a server that is slow to start on a busy machine
    /// time to answer; udhcpc stops at the first answer.
    /// </summary>
    public int Tries { get; init; } = 10;

    /// <summary>Whether the script puts the leased address on eth0 (and removes it on deconfig).</summary>
    public bool ConfigureAddress { get; init; }
}

/// <summary>The outcome of a udhcpc run.</summary>
internal sealed record UdhcpcResult(int ExitCode, ClientLease? Lease, string Output);

/// <summary>
/// busybox udhcpc in a lab namespace: foreground, quit after the lease (<c>-f -q -n</c>), with a script
/// that records what the server handed out. Bounded by its tries and a hard time limit. No DHCPRELEASE:
/// busybox 1.35 ignores -R together with -q (it quits before it counts as bound).
/// </summary>
internal static class UdhcpcRunner
{
    private const string Script = """
        #!/bin/sh
        # udhcpc -s script of the SharpPXE lab: records each event's variables. It configures the
        # address only when the test asked for it, and never resolv.conf or routes.
        keys='ip|mask|subnet|broadcast|router|dns|domain|lease|serverid|siaddr|sname'
        keys="$keys|boot_file|bootfile|tftp|opt[0-9]+|message|interface"
        {
            echo "event=$1"
            env | grep -E "^($keys)=" | sort
        } >>"$LAB_DUMP"
        if [ "$LAB_CONFIGURE" = 1 ]; then
            case "$1" in
                bound|renew) ip addr replace "$ip/$mask" dev "$interface" ;;
                deconfig) ip -4 addr flush dev "$interface" ;;
            esac
        fi
        exit 0

        """;

    public static async Task<UdhcpcResult> RunAsync(LabHost host, UdhcpcOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new UdhcpcOptions();
        string dir = host.Lab.CreateScratchDirectory("udhcpc");
        string dump = Path.Combine(dir, "events.txt");
        string script = Path.Combine(dir, "udhcpc-script");
        LabCommand.WriteExecutable(
            script,
            Script.Replace("$LAB_DUMP", dump, StringComparison.Ordinal)
                .Replace("$LAB_CONFIGURE", options.ConfigureAddress ? "1" : "0", StringComparison.Ordinal));

        List<string> args = ["-f", "-q", "-n", "-i", host.InterfaceName, "-s", script, "-A", "1", "-T", "1"];
        args.AddRange(["-t", options.Tries.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (options.VendorClass is not null)
        {
            args.AddRange(["-V", options.VendorClass]);
        }

        foreach (int code in options.RequestOptions)
        {
            args.AddRange(["-O", code.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        foreach (string option in options.SendOptions)
        {
            args.AddRange(["-x", option]);
        }

        LabProcess process = await host.StartAsync("udhcpc", args);
        int exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(options.Tries + 15));
        (string Event, Dictionary<string, string> Variables) bound =
            ClientLease.ReadDump(dump).LastOrDefault(e => e.Event is "bound" or "renew");
        ClientLease? lease = bound.Variables is null ? null : ClientLease.FromUdhcpc(bound.Event, bound.Variables);
        return new UdhcpcResult(exit, lease, process.OutputText);
    }
}
