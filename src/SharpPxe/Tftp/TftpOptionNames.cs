namespace SharpPxe.Tftp;

/// <summary>The option names the server negotiates, lower-cased as in <see cref="TftpRequest.Options"/>.</summary>
public static class TftpOptionNames
{
    /// <summary>RFC 2348: the block size, 8..65464.</summary>
    public const string BlockSize = "blksize";

    /// <summary>RFC 2349: the transfer size; "0" in an RRQ asks the server for it.</summary>
    public const string TransferSize = "tsize";

    /// <summary>RFC 2349: the retransmission timeout in seconds, 1..255.</summary>
    public const string Timeout = "timeout";

    /// <summary>RFC 7440: the number of blocks sent before an ACK is awaited, 1..65535.</summary>
    public const string WindowSize = "windowsize";

    /// <summary>Non-standard: the block number that follows 65535, "0" or "1".</summary>
    public const string Rollover = "rollover";
}
