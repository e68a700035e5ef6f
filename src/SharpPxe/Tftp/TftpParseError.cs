namespace SharpPxe.Tftp;

/// <summary>
/// Why <see cref="TftpPacket.TryParseRequest"/> rejected a datagram. Each name is a stable word for drop
/// counters; <see cref="TftpPacket.ReplyFor"/> says which of them deserve an ERROR reply.
/// </summary>
public enum TftpParseError
{
    /// <summary>The datagram was parsed.</summary>
    None = 0,

    /// <summary>Fewer than the two octets of an opcode.</summary>
    TooShort,

    /// <summary>The opcode is not one of RFC 1350's five or RFC 2347's OACK.</summary>
    UnknownOpcode,

    /// <summary>A known opcode, but DATA, ACK, ERROR or OACK rather than RRQ or WRQ.</summary>
    NotARequest,

    /// <summary>The file name, the mode, an option name or an option value runs to the end without its NUL.</summary>
    Unterminated,

    /// <summary>The file name field is empty.</summary>
    EmptyFileName,

    /// <summary>The mode is not netascii, octet or mail (in any case).</summary>
    UnknownMode,

    /// <summary>An option name is followed by its NUL and then nothing: the value is missing.</summary>
    UnpairedOption,

    /// <summary>An empty option name followed by more data (NUL padding alone is accepted).</summary>
    EmptyOptionName,

    /// <summary>More than <see cref="TftpPacket.MaxOptions"/> option pairs.</summary>
    TooManyOptions,
}
