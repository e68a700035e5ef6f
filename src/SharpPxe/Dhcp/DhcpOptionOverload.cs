namespace SharpPxe.Dhcp;

/// <summary>
/// Which of the fixed fields carried options, the value of option 52 (RFC 2132 §9.3).
/// </summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1028:Enum Storage should be Int32",
    Justification = "Option 52 carries one octet (RFC 2132 §9.3).")]
public enum DhcpOptionOverload : byte
{
    /// <summary>No overload: sname and file hold names.</summary>
    None = 0,

    /// <summary>The file field holds options.</summary>
    File = 1,

    /// <summary>The sname field holds options.</summary>
    ServerName = 2,

    /// <summary>Both hold options; file is read before sname (RFC 2131 §4.1).</summary>
    Both = File | ServerName,
}
