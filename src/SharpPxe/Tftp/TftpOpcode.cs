namespace SharpPxe.Tftp;

/// <summary>The first two octets of every TFTP packet (RFC 1350 §5; OACK: RFC 2347 §2).</summary>
public enum TftpOpcode : ushort
{
    /// <summary>RRQ: a client asks to read a file.</summary>
    ReadRequest = 1,

    /// <summary>WRQ: a client asks to write a file.</summary>
    WriteRequest = 2,

    /// <summary>DATA: a block of the file.</summary>
    Data = 3,

    /// <summary>ACK: the receiver has a block (0 acknowledges an OACK).</summary>
    Ack = 4,

    /// <summary>ERROR: ends the transfer.</summary>
    Error = 5,

    /// <summary>OACK: the server's answer to the options of a request.</summary>
    OptionAck = 6,
}
