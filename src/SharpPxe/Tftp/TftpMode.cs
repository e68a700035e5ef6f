namespace SharpPxe.Tftp;

/// <summary>The transfer mode named in a request (RFC 1350 §1 and §5).</summary>
public enum TftpMode
{
    /// <summary>"octet": the file's bytes as they are.</summary>
    Octet,

    /// <summary>"netascii": LF is sent as CR LF and CR as CR NUL (RFC 764); see <see cref="NetAscii"/>.</summary>
    NetAscii,

    /// <summary>"mail": obsolete, write-only (RFC 1350 §1); parsed so it can be refused.</summary>
    Mail,
}
