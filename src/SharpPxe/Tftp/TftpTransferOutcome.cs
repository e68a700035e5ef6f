namespace SharpPxe.Tftp;

/// <summary>How a transfer ended.</summary>
public enum TftpTransferOutcome
{
    /// <summary>Every block acknowledged.</summary>
    Completed,

    /// <summary>The client sent an ERROR (for instance ERROR 8 after a tsize probe).</summary>
    ClientError,

    /// <summary>No ACK after the last retry.</summary>
    TimedOut,

    /// <summary>The client's port is closed (ICMP port unreachable).</summary>
    ClientGone,

    /// <summary>The server is stopping.</summary>
    Cancelled,
}
