using System.Collections;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using SharpPxe.Config;
using SharpPxe.Hosting;

namespace SharpPxe.Cli;

/// <summary>
/// The <c>sharppxe</c> command. The root command serves, so <c>sharppxe --dhcp-proxy --http --ipxe</c> works as
/// PyPXE's does; <c>serve</c> says the same explicitly and <c>check</c> validates and exits.
/// Exit codes: 0 clean stop, 1 run-time failure, 2 bad command line or configuration.
/// </summary>
internal sealed partial class SharpPxeCli
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly IDictionary _environment;
    private readonly CliOptions _options = new();
    private readonly Option<string> _mac = new("--mac") { Description = "The machine's MAC address.", Required = true };
    private readonly Option<int?> _arch = new("--arch") { Description = "Its option 93 code: 0 BIOS, 7 x64 UEFI, ..." };
    private readonly Option<string> _userClass = new("--user-class") { Description = "Its user class, e.g. iPXE." };
    private readonly Option<string> _vendorClass = new("--vendor-class")
    {
        Description = "Its option 60 (default: PXEClient:Arch:NNNNN, or HTTPClient for HTTP boot codes).",
    };

    public SharpPxeCli(TextWriter output, TextWriter error, IDictionary environment)
    {
        _output = output;
        _error = error;
        _environment = environment;
        Root = new RootCommand("SharpPXE network boot server");
        _options.AddTo(Root, withDumps: true);
        Root.SetAction(ServeAsync);

        var serve = new Command("serve", "Run the enabled services (the same as giving no command).");
        serve.SetAction(ServeAsync);
        Root.Subcommands.Add(serve);

        var check = new Command("check", "Check a configuration and exit: 0 when it is valid, 2 when it is not.");
        check.SetAction(Check);
        Root.Subcommands.Add(check);

        var explain = new Command(
            "explain", "Show which rule matches a machine and what DHCP, TFTP and HTTP serve it.");
        explain.Options.Add(_mac);
        explain.Options.Add(_arch);
        explain.Options.Add(_userClass);
        explain.Options.Add(_vendorClass);
        explain.SetAction(Explain);
        Root.Subcommands.Add(explain);

        Root.Subcommands.Add(CreateTryCommand());

        HelpOption help = Root.Options.OfType<HelpOption>().First();
        help.Action = new ManualPageAction(_output);
    }

    public RootCommand Root { get; }

    public CliOptions Options => _options;

    /// <summary>Runs the command line and returns the exit code.</summary>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        IDictionary environment,
        CancellationToken cancellationToken = default)
    {
        var cli = new SharpPxeCli(output, error, environment);
        return cli.InvokeAsync(args, cancellationToken);
    }

    public async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ParseResult parseResult = Root.Parse(args);
        bool wantsHelp = parseResult.Action is ManualPageAction or HelpAction;
        if (parseResult.Errors.Count > 0 && !wantsHelp)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parseResult.Errors)
            {
                await _error.WriteLineAsync(
                    $"sharppxe: error: command line: {parseError.Message}{FlagHint(parseError.Message)}")
                    .ConfigureAwait(false);
            }

            await _error.WriteLineAsync("sharppxe: see `sharppxe --help` for the flags").ConfigureAwait(false);
            return SharpPxeHost.ExitUsage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = _output,
            Error = _error,
            EnableDefaultExceptionHandler = false,

            // The host handles SIGINT and SIGTERM itself and stops every service cleanly.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private string FlagHint(string message)
    {
        int start = message.IndexOf("'-", StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        int end = message.IndexOf('\'', start + 1);
        string token = (end > start ? message[(start + 1)..end] : message[(start + 1)..]).Split('=')[0];
        // A known flag (one missing its value, say) needs no "did you mean" pointing at itself.
        return _options.AllFlags.Contains(token, StringComparer.Ordinal)
            ? string.Empty
            : Suggestions.Hint(token, _options.AllFlags);
    }

    private async Task<int> ServeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(_options.DumpConfig))
        {
            await WriteJsonAsync(ConfigBuilder.DefaultsJson()).ConfigureAwait(false);
            return SharpPxeHost.ExitOk;
        }

        ConfigBuilder builder = _options.Load(parseResult, _environment);
        if (parseResult.GetValue(_options.DumpConfigMerged))
        {
            if (await ReportAsync(builder.Errors).ConfigureAwait(false))
            {
                return SharpPxeHost.ExitUsage;
            }

            await WriteJsonAsync(ConfigJson.ToNested(builder.Values)).ConfigureAwait(false);
            return SharpPxeHost.ExitOk;
        }

        SharpPxeOptions? options = await BuildAsync(builder).ConfigureAwait(false);
        if (options is null)
        {
            return SharpPxeHost.ExitUsage;
        }

        IPEndPoint? syslog = null;
        if (options.Logging.SyslogServer is { } syslogHost)
        {
            syslog = await ResolveSyslogAsync(syslogHost, options.Logging.SyslogPort).ConfigureAwait(false);
            if (syslog is null)
            {
                return SharpPxeHost.ExitUsage;
            }
        }

        using IHost host = SharpPxeHost.Create(options, syslog);
        return await SharpPxeHost.RunAsync(host, _error, cancellationToken).ConfigureAwait(false);
    }

    private int Check(ParseResult parseResult)
    {
        ConfigBuilder builder = _options.Load(parseResult, _environment);
        SharpPxeOptions options;
        try
        {
            options = builder.Build(checkFiles: true);
        }
        catch (ConfigException ex)
        {
            ReportAsync(ex.Errors).GetAwaiter().GetResult();
            return SharpPxeHost.ExitUsage;
        }

        // A valid configuration may name a service this version cannot run yet: check says so, serve refuses.
        foreach (string problem in PxeServices.Problems(options))
        {
            _error.WriteLine($"sharppxe: warning: {problem}");
        }

        string source = parseResult.GetValue(_options.Config) is { Length: > 0 } file
            ? $"{file}{(builder.FileWasPyPxe ? " (PyPXE format)" : string.Empty)}"
            : "the defaults, environment and flags";
        string services = string.Join(", ", PxeServices.Enabled(options).Where(s => s.IsAvailable)
            .Select(s => s.Title));
        _output.WriteLine($"sharppxe: configuration from {source} is valid; it serves {services}");
        return SharpPxeHost.ExitOk;
    }

    private int Explain(ParseResult parseResult)
    {
        ConfigBuilder builder = _options.Load(parseResult, _environment);
        SharpPxeOptions options;
        try
        {
            // Missing files are part of the answer here, not a reason to refuse.
            options = builder.Build(checkFiles: false);
        }
        catch (ConfigException ex)
        {
            ReportAsync(ex.Errors).GetAwaiter().GetResult();
            return SharpPxeHost.ExitUsage;
        }

        string macText = parseResult.GetValue(_mac) ?? string.Empty;
        if (!MacAddressText.TryNormalize(macText, out string mac))
        {
            ReportAsync([new ConfigError(ConfigBuilder.CommandLineSource, "--mac", macText, "is not a MAC address",
                "six hex bytes such as 52:54:00:12:34:56")]).GetAwaiter().GetResult();
            return SharpPxeHost.ExitUsage;
        }

        int? archValue = parseResult.GetValue(_arch);
        if (archValue is < 0 or > ushort.MaxValue)
        {
            ReportAsync([new ConfigError(ConfigBuilder.CommandLineSource, "--arch",
                archValue.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "is not an option 93 code", "a number from 0 to 65535")]).GetAwaiter().GetResult();
            return SharpPxeHost.ExitUsage;
        }

        ushort? arch = archValue is { } a ? (ushort)a : null;
        string vendor = parseResult.GetValue(_vendorClass)
            ?? (arch is 15 or 16 or 19 ? "HTTPClient" : "PXEClient")
                + (arch is { } code ? $":Arch:{code:D5}" : string.Empty);
        string? userClass = parseResult.GetValue(_userClass);
        var request = new Boot.BootRequest(mac, arch, userClass is null ? [] : [userClass], vendor, false, null);
        _output.Write(Boot.BootExplainer.Explain(options, request));
        return SharpPxeHost.ExitOk;
    }

    /// <summary>Builds the options; on any problem prints each one and returns null.</summary>
    private async Task<SharpPxeOptions?> BuildAsync(ConfigBuilder builder)
    {
        SharpPxeOptions options;
        try
        {
            options = builder.Build(checkFiles: true);
        }
        catch (ConfigException ex)
        {
            await ReportAsync(ex.Errors).ConfigureAwait(false);
            return null;
        }

        IReadOnlyList<string> problems = PxeServices.Problems(options);
        foreach (string problem in problems)
        {
            await _error.WriteLineAsync($"sharppxe: error: {problem}").ConfigureAwait(false);
        }

        return problems.Count == 0 ? options : null;
    }

    private async Task<bool> ReportAsync(IReadOnlyList<ConfigError> errors)
    {
        foreach (ConfigError configError in errors)
        {
            await _error.WriteLineAsync($"sharppxe: error: {configError}").ConfigureAwait(false);
        }

        return errors.Count > 0;
    }

    private async Task<IPEndPoint?> ResolveSyslogAsync(string host, int port)
    {
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            return new IPEndPoint(literal, port);
        }

        try
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
            IPAddress? v4 = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (v4 is not null)
            {
                return new IPEndPoint(v4, port);
            }
        }
        catch (SocketException)
        {
            // Reported below.
        }

        await ReportAsync([new ConfigError(ConfigBuilder.CommandLineSource, "--syslog", host,
            "does not resolve to an IPv4 address", "a syslog host name or address")]).ConfigureAwait(false);
        return null;
    }

    private Task WriteJsonAsync(System.Text.Json.Nodes.JsonObject json) =>
        _output.WriteLineAsync(json.ToJsonString(ConfigJson.Indented));

    /// <summary>Prints the manual page in place of System.CommandLine's generated help.</summary>
    private sealed class ManualPageAction(TextWriter output) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            output.Write(HelpText.Build());
            return SharpPxeHost.ExitOk;
        }
    }
}
