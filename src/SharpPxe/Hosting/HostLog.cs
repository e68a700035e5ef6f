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

    [LoggerMessage(EventId = 5, EventName = "IpxeBinaryFound", Level = LogLevel.Information,
        Message = "iPXE for {Machines}: {Name} from {Path}")]
    public static partial void IpxeBinaryFound(ILogger logger, string machines, string name, string path);

    [LoggerMessage(EventId = 6, EventName = "IpxeBinaryMissing", Level = LogLevel.Warning,
        Message = "iPXE for {Machines}: {Name} is neither in {Root} nor in the system's iPXE package; such machines "
            + "will get TFTP ERROR 1 / HTTP 404 for it (install Debian's ipxe, or copy it into the netboot directory)")]
    public static partial void IpxeBinaryMissing(ILogger logger, string machines, string name, string root);

    [LoggerMessage(EventId = 3, EventName = "CounterSummary", Level = LogLevel.Information,
        Message = "{Service}: {Summary}")]
    public static partial void CounterSummary(ILogger logger, string service, string summary);
}
