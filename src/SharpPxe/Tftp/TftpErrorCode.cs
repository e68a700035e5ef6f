namespace SharpPxe.Tftp;

/// <summary>The error codes of an ERROR packet (RFC 1350 appendix; 8: RFC 2347 §2).</summary>
public enum TftpErrorCode : ushort
{
    /// <summary>Not defined, see the message.</summary>
    NotDefined = 0,

    /// <summary>File not found.</summary>
    FileNotFound = 1,

    /// <summary>Access violation.</summary>
    AccessViolation = 2,

    /// <summary>Disk full or allocation exceeded.</summary>
    DiskFull = 3,

    /// <summary>Illegal TFTP operation.</summary>
    IllegalOperation = 4,

    /// <summary>Unknown transfer ID (a packet from the wrong port).</summary>
    UnknownTransferId = 5,

    /// <summary>File already exists.</summary>
    FileExists = 6,

    /// <summary>No such user.</summary>
    NoSuchUser = 7,

    /// <summary>Option negotiation failed: the request or its answer carried options the other side refuses.</summary>
    OptionNegotiationFailed = 8,
}
