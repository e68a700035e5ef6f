using System.Collections;
using SharpPxe.Cli;
using SharpPxe.Config;

namespace SharpPxe.Tests;

/// <summary>Runs the sharppxe command line in-process with a controlled environment.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => Run(new Hashtable(), args);

    public static CliResult Run(IDictionary environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = SharpPxeCli.RunAsync(args, output, error, environment).GetAwaiter().GetResult();
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Parses a command line and merges it as the serve command would, without validating files.</summary>
    public static ConfigBuilder Load(IDictionary environment, params string[] args)
    {
        using var sink = new StringWriter();
        var cli = new SharpPxeCli(sink, sink, environment);
        System.CommandLine.ParseResult parseResult = cli.Root.Parse(args);
        Assert.Empty(parseResult.Errors);
        return cli.Options.Load(parseResult, environment);
    }

    public static ConfigBuilder Load(params string[] args) => Load(new Hashtable(), args);
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
