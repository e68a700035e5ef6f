namespace SharpPxe.Tftp;

/// <summary>
/// A parsed RRQ or WRQ (RFC 1350 §5, options RFC 2347 §2). <paramref name="FileName"/> is the name as sent,
/// decoded as UTF-8 (invalid octets become U+FFFD). <paramref name="Options"/> holds the options in the
/// client's order with lower-cased names and values as sent; when a name is repeated the first one is kept.
/// </summary>
public sealed record TftpRequest(
    TftpOpcode Opcode,
    string FileName,
    TftpMode Mode,
    IReadOnlyList<KeyValuePair<string, string>> Options);
