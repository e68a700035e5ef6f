using System.Net;
using Microsoft.Extensions.Logging;

namespace SharpPxe.Tftp;

/// <summary>The TFTP log lines (event ids 1101-1199): one line per transfer at its end.</summary>
internal static partial class TftpLog
{
    [LoggerMessage(EventId = 1101, EventName = "TftpListening", Level = LogLevel.Information,
        Message = "TFTP listening on {Endpoint}, serving {Root}")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string root);

    [LoggerMessage(EventId = 1102, EventName = "TransferStarted", Level = LogLevel.Debug,
        Message = "RRQ {Client} {File} ({Mode}): {Bytes} bytes, blksize {BlockSize}, windowsize {WindowSize}, "
            + "timeout {TimeoutSeconds}s{Oack}")]
    public static partial void Started(ILogger logger, IPEndPoint client, string file, string mode, long bytes,
        int blockSize, int windowSize, double timeoutSeconds, string oack);

    [LoggerMessage(EventId = 1103, EventName = "TransferDone", Level = LogLevel.Information,
        Message = "RRQ {Client} ({Mac}) {File}: {Outcome}, {Bytes} bytes in {Milliseconds} ms, blksize {BlockSize}, "
            + "windowsize {WindowSize}, {Retransmissions} retransmissions")]
    public static partial void Done(ILogger logger, IPEndPoint client, string mac, string file, string outcome,
        long bytes, long milliseconds, int blockSize, int windowSize, int retransmissions);

    [LoggerMessage(EventId = 1104, EventName = "RequestRefused", Level = LogLevel.Information,
        Message = "RRQ {Client} {File}: refused with ERROR {Code} ({Reason})")]
    public static partial void Refused(ILogger logger, IPEndPoint client, string file, int code, string reason);

    [LoggerMessage(EventId = 1105, EventName = "TftpDatagramDropped", Level = LogLevel.Debug,
        Message = "dropped a datagram of {Length} bytes from {Remote}: {Reason}")]
    public static partial void Dropped(ILogger logger, int length, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 1106, EventName = "TransferQueued", Level = LogLevel.Warning,
        Message = "{Running} transfers running, the limit (--tftp-max-transfers); RRQ {Client} {File} waits")]
    public static partial void Queued(ILogger logger, int running, IPEndPoint client, string file);

    [LoggerMessage(EventId = 1107, EventName = "StrayPacket", Level = LogLevel.Debug,
        Message = "transfer of {File} to {Client}: a packet from {Stranger} answered with ERROR 5")]
    public static partial void Stray(ILogger logger, string file, IPEndPoint client, IPEndPoint stranger);

    [LoggerMessage(EventId = 1108, EventName = "TransferFailed", Level = LogLevel.Error,
        Message = "transfer of {File} to {Client} failed; the server goes on")]
    public static partial void Failed(ILogger logger, string file, IPEndPoint client, Exception exception);

    [LoggerMessage(EventId = 1109, EventName = "TransferProgress", Level = LogLevel.Debug,
        Message = "RRQ {Client} {File}: {Bytes} of {Total} bytes acknowledged")]
    public static partial void Progress(ILogger logger, IPEndPoint client, string file, long bytes, long total);
}
