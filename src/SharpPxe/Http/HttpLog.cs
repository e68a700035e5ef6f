using System.Net;
using Microsoft.Extensions.Logging;

namespace SharpPxe.Http;

/// <summary>The HTTP log lines (event ids 1201-1299): one line per response.</summary>
internal static partial class HttpLog
{
    [LoggerMessage(EventId = 1201, EventName = "HttpListening", Level = LogLevel.Information,
        Message = "HTTP listening on {Endpoint}, serving {Root}")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string root);

    [LoggerMessage(EventId = 1202, EventName = "HttpServed", Level = LogLevel.Information,
        Message = "{Method} {Path} from {Client} ({Mac}): {Status}, {Bytes} bytes{Rendered}")]
    public static partial void Served(ILogger logger, string method, string path, IPAddress client, string mac,
        int status, long bytes, string rendered);
}
