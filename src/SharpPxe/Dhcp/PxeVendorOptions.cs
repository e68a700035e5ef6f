using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpPxe.Dhcp;

/// <summary>
/// Builds (and reads) the PXE sub-options carried in option 43 when option 60 is "PXEClient"
/// (PXE 2.1 specification §2.4, Table 2-1): code, length, value triples ended by 255.
/// </summary>
public sealed class PxeVendorOptions
{
    /// <summary>PXE_DISCOVERY_CONTROL.</summary>
    public const byte DiscoveryControlCode = 6;

    /// <summary>PXE_BOOT_SERVERS.</summary>
    public const byte BootServersCode = 8;

    /// <summary>PXE_BOOT_MENU.</summary>
    public const byte BootMenuCode = 9;

    /// <summary>PXE_MENU_PROMPT.</summary>
    public const byte MenuPromptCode = 10;

    /// <summary>PXE_BOOT_ITEM.</summary>
    public const byte BootItemCode = 71;

    private const byte PadCode = 0;
    private const byte EndCode = 255;
    private const int SubOptionHeaderLength = 2;
    private const int MaxSubOptionLength = byte.MaxValue;

    private readonly List<KeyValuePair<byte, ReadOnlyMemory<byte>>> _subOptions = [];

    /// <summary>The sub-options in the order they were first set.</summary>
    public IReadOnlyList<KeyValuePair<byte, ReadOnlyMemory<byte>>> SubOptions => _subOptions;

    /// <summary>Sets PXE_DISCOVERY_CONTROL (sub-option 6).</summary>
    public PxeVendorOptions SetDiscoveryControl(PxeDiscoveryControl control) =>
        SetRaw(DiscoveryControlCode, [(byte)control]);

    /// <summary>
    /// Sets PXE_MENU_PROMPT (sub-option 10): a timeout in seconds (0 = boot the default at once,
    /// 255 = wait for a key) followed by the prompt text in ASCII (other characters become '?').
    /// </summary>
    public PxeVendorOptions SetMenuPrompt(byte timeoutSeconds, string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        byte[] text = Encoding.ASCII.GetBytes(prompt);
        var value = new byte[1 + text.Length];
        value[0] = timeoutSeconds;
        text.CopyTo(value, 1);
        return SetRaw(MenuPromptCode, value);
    }

    /// <summary>Sets PXE_BOOT_SERVERS (sub-option 8) to one server type with one IPv4 address.</summary>
    public PxeVendorOptions SetBootServers(ushort type, System.Net.IPAddress server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Span<byte> value = stackalloc byte[2 + 1 + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value, type);
        value[2] = 1;
        if (!server.TryWriteBytes(value[3..], out int written) || written != 4)
        {
            throw new ArgumentException("A PXE boot server address is an IPv4 address.", nameof(server));
        }

        return SetRaw(BootServersCode, value);
    }

    /// <summary>Sets PXE_BOOT_MENU (sub-option 9) to one item: a boot server type and its text in ASCII.</summary>
    public PxeVendorOptions SetBootMenuItem(ushort type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] description = Encoding.ASCII.GetBytes(text);
        var value = new byte[2 + 1 + description.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value, type);
        value[2] = checked((byte)description.Length);
        description.CopyTo(value, 3);
        return SetRaw(BootMenuCode, value);
    }

    /// <summary>
    /// Sets any sub-option from its raw value, for PXE_BOOT_SERVERS (8), PXE_BOOT_MENU (9) and
    /// PXE_BOOT_ITEM (71) among others. Replaces the value in place when the code is present.
    /// </summary>
    /// <exception cref="ArgumentException">The code is 0 or 255, or the value exceeds 255 octets.</exception>
    public PxeVendorOptions SetRaw(byte code, ReadOnlySpan<byte> value)
    {
        if (code is PadCode or EndCode)
        {
            throw new ArgumentException("Codes 0 and 255 are Pad and End.", nameof(code));
        }

        // The length of a sub-option is one octet.
        if (value.Length > MaxSubOptionLength)
        {
            throw new ArgumentException("A sub-option value has at most 255 octets.", nameof(value));
        }

        var entry = new KeyValuePair<byte, ReadOnlyMemory<byte>>(code, value.ToArray());
        int index = _subOptions.FindIndex(pair => pair.Key == code);
        if (index >= 0)
        {
            _subOptions[index] = entry;
        }
        else
        {
            _subOptions.Add(entry);
        }

        return this;
    }

    /// <summary>Gets a sub-option's value.</summary>
    public bool TryGet(byte code, out ReadOnlyMemory<byte> value)
    {
        int index = _subOptions.FindIndex(pair => pair.Key == code);
        value = index >= 0 ? _subOptions[index].Value : default;
        return index >= 0;
    }

    /// <summary>The value of option 43: every sub-option in order, then End.</summary>
    public byte[] Build()
    {
        int length = 1;
        foreach (KeyValuePair<byte, ReadOnlyMemory<byte>> pair in _subOptions)
        {
            length += SubOptionHeaderLength + pair.Value.Length;
        }

        var encoded = new byte[length];
        int position = 0;
        foreach (KeyValuePair<byte, ReadOnlyMemory<byte>> pair in _subOptions)
        {
            encoded[position] = pair.Key;
            encoded[position + 1] = (byte)pair.Value.Length;
            pair.Value.Span.CopyTo(encoded.AsSpan(position + SubOptionHeaderLength));
            position += SubOptionHeaderLength + pair.Value.Length;
        }

        encoded[position] = EndCode;
        return encoded;
    }

    /// <summary>
    /// Reads an option 43 value. Never throws. A missing End is accepted when the last sub-option
    /// fills the value exactly (clients differ here); a sub-option running past the end is not.
    /// Repeated codes keep their last value.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, [NotNullWhen(true)] out PxeVendorOptions? options)
    {
        options = null;
        var result = new PxeVendorOptions();
        var reader = new DhcpOptionReader(value);
        while (reader.TryReadNext(out byte code, out ReadOnlySpan<byte> subValue))
        {
            result.SetRaw(code, subValue);
        }

        if (reader.Error is not (DhcpParseError.None or DhcpParseError.MissingEnd))
        {
            return false;
        }

        options = result;
        return true;
    }
}
