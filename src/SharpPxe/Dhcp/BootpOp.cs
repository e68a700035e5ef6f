namespace SharpPxe.Dhcp;

/// <summary>The <c>op</c> field of a BOOTP/DHCP message (RFC 951, RFC 2131 §2).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1028:Enum Storage should be Int32",
    Justification = "The op field is one octet (RFC 2131 §2).")]
public enum BootpOp : byte
{
    /// <summary>Not a valid value on the wire.</summary>
    None = 0,

    /// <summary>BOOTREQUEST: client to server.</summary>
    BootRequest = 1,

    /// <summary>BOOTREPLY: server to client.</summary>
    BootReply = 2,
}
