namespace SharpPxe.Tftp;

/// <summary>
/// The server's bounds for option negotiation (<see cref="TftpNegotiation.Negotiate"/>).
/// </summary>
/// <param name="MaxBlockSize">The largest block size offered; RFC 2348 §2 allows at most 65464.</param>
/// <param name="MaxWindowSize">The largest window offered (RFC 7440 §2 allows 65535).</param>
/// <param name="MaxInFlightBytes">
/// The most payload octets one window may put in flight (block size × window). A client's socket buffer
/// overflows beyond about 128 KiB (perf/ANCHORS.md: atftp at 8192 × 16), so the default is 64 KiB.
/// </param>
/// <param name="DefaultTimeoutSeconds">The retransmission timeout when the client does not ask for one.</param>
public sealed record TftpLimits(
    int MaxBlockSize = 65464,
    int MaxWindowSize = 64,
    int MaxInFlightBytes = 65536,
    int DefaultTimeoutSeconds = 1);
