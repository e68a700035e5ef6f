using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpPxe.SystemTests.Lab;

/// <summary>Settings of one perfdhcp run; it is always bounded in count and in time.</summary>
internal sealed record PerfdhcpOptions
{
    /// <summary>DORA exchanges started per second (-r).</summary>
    public int Rate { get; init; } = 100;

    /// <summary>Test period in seconds (-p).</summary>
    public int Seconds { get; init; } = 3;

    /// <summary>Number of simulated clients, i.e. distinct MACs (-R).</summary>
    public int Clients { get; init; } = 100;

    /// <summary>DISCOVERs to send at most (-n); Rate × Seconds when null.</summary>
    public int? MaxExchanges { get; init; }

    /// <summary>More perfdhcp arguments.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
}

/// <summary>One "Statistics for: X-Y" block of perfdhcp's summary.</summary>
internal sealed record PerfdhcpExchange(long Sent, long Received, long Drops, double AverageDelayMs);

/// <summary>perfdhcp's summary. <see cref="ExitCode"/> is 3 when any packet was dropped.</summary>
internal sealed partial record PerfdhcpResult(
    int ExitCode, double Rate, PerfdhcpExchange? DiscoverOffer, PerfdhcpExchange? RequestAck, string Output)
{
    /// <summary>ACKs received per DISCOVER sent, 0..1.</summary>
    public double Completion =>
        DiscoverOffer is { Sent: > 0 } d && RequestAck is { } r ? (double)r.Received / d.Sent : 0;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"exit {ExitCode}, rate {Rate:F1}/s, DISCOVER-OFFER {DiscoverOffer}, REQUEST-ACK {RequestAck}, " +
        $"completion {Completion:P1}");

    /// <summary>Parses the text perfdhcp 2.2 prints (checked against dnsmasq).</summary>
    public static PerfdhcpResult Parse(int exitCode, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Match rate = RateRegex().Match(output);
        return new PerfdhcpResult(
            exitCode,
            rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            ParseBlock(output, "DISCOVER-OFFER"),
            ParseBlock(output, "REQUEST-ACK"),
            output);
    }

    private static PerfdhcpExchange? ParseBlock(string output, string name)
    {
        int start = output.IndexOf($"***Statistics for: {name}***", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        int end = output.IndexOf("***", start + name.Length + 20, StringComparison.Ordinal);
        string block = end < 0 ? output[start..] : output[start..end];
        return new PerfdhcpExchange(
            Number(block, "sent packets"),
            Number(block, "received packets"),
            Number(block, "drops"),
            Decimal(block, "avg delay"));
    }

    private static long Number(string block, string label) => (long)Decimal(block, label);

    private static double Decimal(string block, string label)
    {
        Match match = Regex.Match(block, $@"^{Regex.Escape(label)}: ([0-9.]+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^Rate: ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex RateRegex();
}

/// <summary>
/// Kea's perfdhcp in a lab namespace: <c>perfdhcp -4 -l eth0 -r RATE -p SECONDS -n N -R CLIENTS</c>.
/// </summary>
internal static class PerfdhcpRunner
{
    public static async Task<PerfdhcpResult> RunAsync(LabHost host, PerfdhcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new PerfdhcpOptions();
        int count = options.MaxExchanges ?? (options.Rate * options.Seconds);
        string[] args =
        [
            "-4", "-l", host.InterfaceName,
            "-r", Invariant(options.Rate), "-p", Invariant(options.Seconds),
            "-n", Invariant(count), "-R", Invariant(options.Clients), .. options.ExtraArgs,
        ];
        LabProcess process = await host.StartAsync("perfdhcp", args);
        int exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(options.Seconds + 20));
        string output = string.Join('\n', process.Lines.Select(l => l.Text));
        return PerfdhcpResult.Parse(exit, output);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
