using Microsoft.Extensions.Logging;

namespace SharpPxe.Hosting;

/// <summary>The host's own log lines (event ids 1-99).</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, EventName = "Started", Level = LogLevel.Information,
        Message = "SharpPXE {Version} serving {Services}")]
    public static partial void Started(ILogger logger, string version, string services);

    [LoggerMessage(EventId = 2, EventName = "Stopping", Level = LogLevel.Information,
        Message = "SharpPXE stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 3, EventName = "CounterSummary", Level = LogLevel.Information,
        Message = "{Service}: {Summary}")]
    public static partial void CounterSummary(ILogger logger, string service, string summary);
}
