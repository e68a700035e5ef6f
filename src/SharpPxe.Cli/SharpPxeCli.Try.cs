using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using SharpPxe.Config;
using SharpPxe.Hosting;
using SharpPxe.TryBoot;

namespace SharpPxe.Cli;

/// <summary>
/// <c>sharppxe try bios|uefi [--config FILE]</c>: boots a throwaway VM through this SharpPXE in a network namespace
/// of its own and prints the boot timeline and a verdict. Exit codes: 0 booted, 1 not, 2 a bad command line,
/// configuration or a missing prerequisite (root, ip, QEMU, OVMF, the demo tree), each on one line with its remedy.
/// </summary>
internal sealed partial class SharpPxeCli
{
    private const int DefaultTrySeconds = 180;

    private readonly Argument<string> _tryFirmware = new("firmware")
    {
        Description = "bios (SeaBIOS with QEMU's iPXE ROM) or uefi (OVMF's own PXE client).",
    };

    private readonly Option<int> _tryTimeout = new("--timeout")
    {
        Description = "Seconds the boot may take before it counts as failed (QEMU runs without KVM).",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => DefaultTrySeconds,
    };

    private readonly Option<string> _tryMac = new("--mac")
    {
        Description = $"The VM's MAC (default {TryMachine.DefaultMac}), to try rules that match on it.",
    };

    /// <summary>What the prerequisite check asks of the host; a test stands in for a host lacking something.</summary>
    internal TryHostFacts TryHost { get; init; } = TryHostFacts.Current;

    /// <summary>Where this program lives: a build inside the repository finds the repository's demo tree.</summary>
    internal string ProgramDirectory { get; init; } = AppContext.BaseDirectory;

    private Command CreateTryCommand()
    {
        _tryFirmware.AcceptOnlyFromAmong("bios", "uefi");
        var command = new Command(
            "try", "Boot a throwaway VM through SharpPXE in a network namespace of its own and show the timeline.");
        command.Arguments.Add(_tryFirmware);
        command.Options.Add(_tryTimeout);
        command.Options.Add(_tryMac);
        command.SetAction(TryAsync);
        return command;
    }

    private async Task<int> TryAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        TryFirmware firmware = parseResult.GetValue(_tryFirmware) == "bios" ? TryFirmware.Bios : TryFirmware.Uefi;
        List<ConfigError> usage = [];
        int seconds = parseResult.GetValue(_tryTimeout);
        if (seconds is < 10 or > 3600)
        {
            usage.Add(new ConfigError(ConfigBuilder.CommandLineSource, "--timeout",
                seconds.ToString(CultureInfo.InvariantCulture), "is out of range", "10 to 3600 seconds"));
        }

        string mac = TryMachine.DefaultMac;
        if (parseResult.GetValue(_tryMac) is { } macText)
        {
            if (!MacAddressText.TryNormalize(macText, out mac))
            {
                usage.Add(new ConfigError(ConfigBuilder.CommandLineSource, "--mac", macText, "is not a MAC address",
                    "six hex bytes such as 52:54:00:12:34:56"));
            }
            else if ((Convert.ToByte(mac[..2], 16) & 1) != 0)
            {
                // A group (multicast) address: the VM's NIC would never get a unicast reply.
                usage.Add(new ConfigError(ConfigBuilder.CommandLineSource, "--mac", macText,
                    "is a multicast (group) address", "a unicast MAC: the first byte even, such as 52:54:00:12:34:56"));
            }
        }

        if (await ReportAsync(usage).ConfigureAwait(false))
        {
            return SharpPxeHost.ExitUsage;
        }

        ConfigBuilder builder = _options.Load(parseResult, _environment);
        string? configFile = parseResult.GetValue(_options.Config) is { Length: > 0 } file ? file : null;
        List<string> problems = [.. TryPrerequisites.Check(firmware, TryHost)];
        string? demoTree = null;
        if (configFile is null && !builder.ExplicitlySet.Contains("netbootDir"))
        {
            string stateDir = new SharpPxeOptions { StateDir = builder.Values["stateDir"]?.GetValue<string>() }
                .EffectiveStateDir;
            IReadOnlyList<string> candidates = TryDemoTree.Candidates(stateDir, ProgramDirectory);
            demoTree = TryDemoTree.Find(candidates, TryHost.FileExists);
            if (demoTree is null)
            {
                problems.Add(TryDemoTree.Problem(candidates, TryHost.FileExists));
            }
        }

        foreach (string problem in problems)
        {
            await _error.WriteLineAsync($"sharppxe: error: {problem}").ConfigureAwait(false);
        }

        if (problems.Count > 0)
        {
            return SharpPxeHost.ExitUsage;
        }

        string work = Directory.CreateTempSubdirectory(TryNetwork.Prefix).FullName;
        try
        {
            TryPlan? plan = await PlanTryAsync(builder, firmware, mac, configFile, demoTree, work, seconds)
                .ConfigureAwait(false);
            if (plan is null)
            {
                return SharpPxeHost.ExitUsage;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            bool interactive = ReferenceEquals(_output, Console.Out) && !Console.IsOutputRedirected;
            return await TryRunner.RunAsync(plan, _output, interactive, stop.Token).ConfigureAwait(false);

            void Stop(PosixSignalContext context)
            {
                // The run cleans up (VM, server, namespace) and prints its verdict; the process is not ended here.
                context.Cancel = true;
                stop.Cancel();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The server's configuration in the namespace, checked as serve checks it; null on problems.</summary>
    private async Task<TryPlan?> PlanTryAsync(
        ConfigBuilder builder, TryFirmware firmware, string mac, string? configFile, string? demoTree, string work,
        int seconds)
    {
        if (demoTree is not null)
        {
            TryConfiguration.ApplyDemo(builder, demoTree);
        }

        TryConfiguration.ApplyNamespace(builder, Path.Combine(work, "state"));
        SharpPxeOptions? options = await BuildAsync(builder).ConfigureAwait(false);
        if (options is null)
        {
            return null;
        }

        JsonObject serverConfig = TryConfiguration.ServerConfig(builder, TryConfiguration.BridgeName);
        string? fullConfig = configFile is null ? null : Path.GetFullPath(configFile);
        string source = fullConfig is not null
            ? $"the rules and files of {fullConfig} (files from {options.NetbootDir}); its network settings are "
                + "replaced by the namespace's"
            : demoTree is not null
                ? $"the built-in demo: iPXE, boot.ipxe, a kernel and an initramfs from {options.NetbootDir}"
                : $"the built-in demo's settings with the files of {options.NetbootDir}";
        return new TryPlan(firmware, mac, serverConfig, ServerCommand(), work, TimeSpan.FromSeconds(seconds),
            new TryHints(firmware, mac, options.NetbootDir, fullConfig), source);
    }

    /// <summary>How to start this program again: its executable, or dotnet and its DLL.</summary>
    private static string[] ServerCommand()
    {
        string process = Environment.ProcessPath ?? "sharppxe";
        return string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal)
            ? [process, typeof(SharpPxeCli).Assembly.Location]
            : [process];
    }
}
