using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SharpPxe.Config;

namespace SharpPxe.Diagnostics;

/// <summary>
/// Sets up logging from the <c>logging</c> settings: text or JSON lines on stderr, or remote syslog; the host's
/// own lines at Information, each service at the level --debug/--verbose give it.
/// </summary>
public static class LoggingSetup
{
    /// <summary>The category prefix of the host's own lines (start, stop, summary).</summary>
    public const string HostCategory = "SharpPxe.Hosting";

    public static void Configure(ILoggingBuilder logging, LoggingOptions options, IPEndPoint? syslogTarget)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(options);
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("SharpPxe", LogLevel.Information);

        // A service that cannot start is reported by SharpPXE in one line with the remedy; the host's own
        // "Hosting failed to start" (and the BackgroundService variant) would repeat it with a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        IReadOnlyDictionary<string, LogLevel> levels = ServiceLogLevels.Resolve(options.Debug, options.Verbose);
        foreach ((string service, LogLevel level) in levels)
        {
            logging.AddFilter(ServiceLogLevels.Categories[service], level);
        }

        // The boot timeline speaks when any service does (--verbose or --debug names one).
        logging.AddFilter("SharpPxe.Events", levels.Values.Min() <= LogLevel.Information
            ? LogLevel.Information : LogLevel.Warning);

        if (syslogTarget is not null)
        {
            // PyPXE: --syslog replaces the stderr handler.
            logging.AddProvider(new SyslogLoggerProvider(syslogTarget));
            return;
        }

        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (options.Format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }
}
