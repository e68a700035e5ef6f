namespace SharpPxe.Dhcp;

/// <summary>
/// One DHCP option: its code and its whole value. A value that was split over several
/// instances on the wire (RFC 3396 §4) is held here joined; the writer splits it again.
/// </summary>
public sealed class DhcpOption
{
    /// <summary>Creates an option holding a copy of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The code is Pad, End or OptionOverload.</exception>
    public DhcpOption(DhcpOptionCode code, ReadOnlySpan<byte> value)
        : this(code, (ReadOnlyMemory<byte>)value.ToArray())
    {
    }

    private DhcpOption(DhcpOptionCode code, ReadOnlyMemory<byte> value)
    {
        // Pad and End have no length octet (RFC 2132 §3.1, §3.2); option 52 is derived by the
        // writer from the layout it chooses (RFC 2132 §9.3), so none of them is an option value.
        if (code is DhcpOptionCode.Pad or DhcpOptionCode.End or DhcpOptionCode.OptionOverload)
        {
            throw new ArgumentException($"Option {(byte)code} cannot carry a value.", nameof(code));
        }

        Code = code;
        Value = value;
    }

    /// <summary>The option code.</summary>
    public DhcpOptionCode Code { get; }

    /// <summary>The value, possibly longer than 255 octets (RFC 3396).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Code and value in hex, for logs and test failures.</summary>
    public override string ToString() => $"{(byte)Code}={Convert.ToHexStringLower(Value.Span)}";

    /// <summary>Wraps <paramref name="value"/> without copying; the caller gives up ownership.</summary>
    internal static DhcpOption FromOwned(DhcpOptionCode code, ReadOnlyMemory<byte> value) => new(code, value);
}
