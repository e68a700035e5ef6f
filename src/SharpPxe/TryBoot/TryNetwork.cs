using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpPxe.TryBoot;

/// <summary>
/// The network namespace of one <c>sharppxe try</c> run: <c>sharppxe-try-PID</c> with a bridge at
/// <see cref="TryConfiguration.ServerAddress"/>/24 (STP off, forward delay 0, so a port forwards at once) and one
/// tap on it for the VM. Everything is made inside the namespace, nothing in the host's; IPv6 is off in it.
/// <see cref="DisposeAsync"/> ends any process still inside (only this run's can be there), and deletes the
/// namespace, which takes the bridge and tap with it.
/// </summary>
internal sealed partial class TryNetwork : IAsyncDisposable
{
    /// <summary>The bridge the server listens on.</summary>
    public const string Bridge = TryConfiguration.BridgeName;

    /// <summary>The VM's tap, a port of the bridge.</summary>
    public const string Tap = "tap0";

    /// <summary>Every try namespace is called this, then the PID of the sharppxe that made it.</summary>
    public const string Prefix = "sharppxe-try-";

    private readonly string _ip;
    private int _disposed;

    private TryNetwork(string ip, string name)
    {
        _ip = ip;
        Namespace = name;
    }

    /// <summary>The namespace's name.</summary>
    public string Namespace { get; }

    /// <summary>The name for this process: <c>sharppxe-try-PID</c>.</summary>
    public static string NameForThisProcess =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}");

    /// <summary>Makes the namespace, its bridge with the server's address and the VM's tap.</summary>
    public static async Task<TryNetwork> CreateAsync(string ip, string name)
    {
        var network = new TryNetwork(ip, name);
        await TryCommand.RunAsync(ip, "netns", "add", name).ConfigureAwait(false);
        try
        {
            string address = $"{TryConfiguration.ServerAddress}/{TryConfiguration.PrefixLength}";

            // IPv4 only, as the lab: best effort, the boot works either way.
            await TryCommand.TryRunAsync(ip, ["netns", "exec", name, "sysctl", "-qw",
                "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]).ConfigureAwait(false);
            await TryCommand.RunAsync(ip, "-n", name, "link", "set", "lo", "up").ConfigureAwait(false);
            await TryCommand.RunAsync(ip, "-n", name, "link", "add", Bridge, "type", "bridge",
                "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0").ConfigureAwait(false);
            await TryCommand.RunAsync(ip, "-n", name, "addr", "add", address, "dev", Bridge).ConfigureAwait(false);
            await TryCommand.RunAsync(ip, "-n", name, "link", "set", Bridge, "up").ConfigureAwait(false);
            await TryCommand.RunAsync(ip, "-n", name, "tuntap", "add", "dev", Tap, "mode", "tap")
                .ConfigureAwait(false);
            await TryCommand.RunAsync(ip, "-n", name, "link", "set", Tap, "master", Bridge, "up")
                .ConfigureAwait(false);
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes try namespaces an earlier run left behind when it was killed: only those whose sharppxe (the PID in
    /// the name) is gone and that hold no process. Returns their names.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveStaleAsync(string ip)
    {
        List<string> removed = [];
        string list = await TryCommand.RunAsync(ip, "netns", "list").ConfigureAwait(false);
        foreach (string line in
            list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string name = line.Split(' ')[0];
            Match match = NameRegex().Match(name);
            if (!match.Success
                || Directory.Exists($"/proc/{match.Groups[1].Value}")
                || (await TryCommand.RunAsync(ip, "netns", "pids", name).ConfigureAwait(false)).Trim().Length > 0)
            {
                continue;
            }

            await TryCommand.RunAsync(ip, "netns", "del", name).ConfigureAwait(false);
            removed.Add(name);
        }

        return removed;
    }

    /// <summary>Ends what still runs inside (by PID), then deletes the namespace. May be called twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        (int code, string pids, _) = await TryCommand.TryRunAsync(_ip, ["netns", "pids", Namespace])
            .ConfigureAwait(false);
        if (code == 0)
        {
            foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                {
                    try
                    {
                        using var process = System.Diagnostics.Process.GetProcessById(id);
                        process.Kill(entireProcessTree: false);
                        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException
                        or TimeoutException)
                    {
                        // Gone already, or it will go with the namespace's last reference.
                    }
                }
            }
        }

        await TryCommand.RunAsync(_ip, "netns", "del", Namespace).ConfigureAwait(false);
    }

    [GeneratedRegex("^sharppxe-try-([0-9]+)$")]
    private static partial Regex NameRegex();
}
