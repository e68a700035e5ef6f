using Microsoft.Extensions.Logging;

namespace SharpPxe.Events;

/// <summary>The timeline's log lines (event ids 1601-1699).</summary>
internal static partial class TimelineLog
{
    [LoggerMessage(EventId = 1601, EventName = "TimelineStep", Level = LogLevel.Information,
        Message = "timeline {Mac} +{Seconds:F2}s {Step}: {Detail}")]
    public static partial void Step(ILogger logger, string mac, double seconds, string step, string detail);

    [LoggerMessage(EventId = 1602, EventName = "BootDone", Level = LogLevel.Information,
        Message = "timeline {Mac} +{Seconds:F2}s done: {File}, the last file of its boot, was served")]
    public static partial void Done(ILogger logger, string mac, double seconds, string file);
}
