using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;

namespace SharpPxe.Dhcp;

/// <summary>Option access: raw values, typed getters and setters, and the PXE-related helpers.</summary>
public sealed partial class DhcpMessage
{
    private const int UInt16Length = 2;
    private const int UInt32Length = 4;

    /// <summary>The options in first-seen order; repeated codes already joined (RFC 3396 §5).</summary>
    public IReadOnlyList<DhcpOption> Options => _options;

    /// <summary>The value of option 53, or <see cref="DhcpMessageType.None"/> when absent or malformed.</summary>
    public DhcpMessageType MessageType
    {
        get => TryGetByteOption(DhcpOptionCode.MessageType, out byte type)
            ? (DhcpMessageType)type
            : DhcpMessageType.None;
        set
        {
            if (value == DhcpMessageType.None)
            {
                RemoveOption(DhcpOptionCode.MessageType);
            }
            else
            {
                SetByteOption(DhcpOptionCode.MessageType, (byte)value);
            }
        }
    }

    /// <summary>
    /// The first architecture type of option 93 (RFC 4578 §2.1: a list of 16-bit values in network
    /// order), or null when the option is absent or its length is not a positive multiple of 2.
    /// </summary>
    public ushort? ClientSystemArchitecture =>
        TryGetOption(DhcpOptionCode.ClientSystemArchitecture, out ReadOnlyMemory<byte> value)
        && value.Length >= UInt16Length && value.Length % UInt16Length == 0
            ? BinaryPrimitives.ReadUInt16BigEndian(value.Span)
            : null;

    /// <summary>Option 60 as text, or null when absent.</summary>
    public string? VendorClassIdentifier =>
        TryGetStringOption(DhcpOptionCode.VendorClassIdentifier, out string? text) ? text : null;

    /// <summary>True when option 77 names the class "iPXE" (RFC 3004 list or iPXE's raw form).</summary>
    public bool IsIpxeClient =>
        TryGetOption(DhcpOptionCode.UserClass, out ReadOnlyMemory<byte> value)
        && DhcpUserClass.ContainsIpxe(value.Span);

    /// <summary>The user classes of option 77 (see <see cref="DhcpUserClass.Parse"/>); empty when absent.</summary>
    public IReadOnlyList<string> GetUserClasses() =>
        TryGetOption(DhcpOptionCode.UserClass, out ReadOnlyMemory<byte> value) ? DhcpUserClass.Parse(value.Span) : [];

    /// <summary>Option 55 as a list of codes; empty when absent.</summary>
    public IReadOnlyList<DhcpOptionCode> GetParameterRequestList()
    {
        if (!TryGetOption(DhcpOptionCode.ParameterRequestList, out ReadOnlyMemory<byte> value))
        {
            return [];
        }

        var codes = new DhcpOptionCode[value.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (DhcpOptionCode)value.Span[i];
        }

        return codes;
    }

    /// <summary>True when the message carries the option.</summary>
    public bool HasOption(DhcpOptionCode code) => IndexOf(code) >= 0;

    /// <summary>Gets an option's whole value.</summary>
    public bool TryGetOption(DhcpOptionCode code, out ReadOnlyMemory<byte> value)
    {
        int index = IndexOf(code);
        value = index >= 0 ? _options[index].Value : default;
        return index >= 0;
    }

    /// <summary>Gets a one-octet option (for example 53).</summary>
    public bool TryGetByteOption(DhcpOptionCode code, out byte value)
    {
        value = 0;
        if (!TryGetOption(code, out ReadOnlyMemory<byte> raw) || raw.Length != 1)
        {
            return false;
        }

        value = raw.Span[0];
        return true;
    }

    /// <summary>Gets a 16-bit option in network order (for example 57).</summary>
    public bool TryGetUInt16Option(DhcpOptionCode code, out ushort value)
    {
        value = 0;
        if (!TryGetOption(code, out ReadOnlyMemory<byte> raw) || raw.Length != UInt16Length)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(raw.Span);
        return true;
    }

    /// <summary>Gets a 32-bit option in network order (for example 51, 58, 59).</summary>
    public bool TryGetUInt32Option(DhcpOptionCode code, out uint value)
    {
        value = 0;
        if (!TryGetOption(code, out ReadOnlyMemory<byte> raw) || raw.Length != UInt32Length)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(raw.Span);
        return true;
    }

    /// <summary>Gets an option holding exactly one IPv4 address (for example 1, 50, 54).</summary>
    public bool TryGetIPAddressOption(DhcpOptionCode code, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (!TryGetOption(code, out ReadOnlyMemory<byte> raw) || raw.Length != Ipv4Length)
        {
            return false;
        }

        address = new IPAddress(raw.Span);
        return true;
    }

    /// <summary>Gets an option holding one or more IPv4 addresses (for example 3, 6).</summary>
    public bool TryGetIPAddressListOption(
        DhcpOptionCode code,
        [NotNullWhen(true)] out IReadOnlyList<IPAddress>? addresses)
    {
        addresses = null;
        if (!TryGetOption(code, out ReadOnlyMemory<byte> raw) || raw.Length == 0 || raw.Length % Ipv4Length != 0)
        {
            return false;
        }

        var list = new IPAddress[raw.Length / Ipv4Length];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = new IPAddress(raw.Span.Slice(i * Ipv4Length, Ipv4Length));
        }

        addresses = list;
        return true;
    }

    /// <summary>
    /// Gets a text option decoded as UTF-8 (a superset of the NVT ASCII of RFC 2132 §2). Trailing NULs,
    /// which RFC 2132 §2 says SHOULD NOT be sent but some senders add, are dropped.
    /// </summary>
    public bool TryGetStringOption(DhcpOptionCode code, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (!TryGetOption(code, out ReadOnlyMemory<byte> raw))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(raw.Span.TrimEnd((byte)0));
        return true;
    }

    /// <summary>Adds the option at the end, or replaces the value in place when the code is present.</summary>
    /// <exception cref="ArgumentException">The code is Pad, End or OptionOverload.</exception>
    public void SetOption(DhcpOptionCode code, ReadOnlySpan<byte> value) => Set(new DhcpOption(code, value));

    /// <summary>Adds or replaces a one-octet option.</summary>
    public void SetByteOption(DhcpOptionCode code, byte value) => SetOption(code, [value]);

    /// <summary>Adds or replaces a 16-bit option, written in network order.</summary>
    public void SetUInt16Option(DhcpOptionCode code, ushort value)
    {
        Span<byte> raw = stackalloc byte[UInt16Length];
        BinaryPrimitives.WriteUInt16BigEndian(raw, value);
        SetOption(code, raw);
    }

    /// <summary>Adds or replaces a 32-bit option, written in network order.</summary>
    public void SetUInt32Option(DhcpOptionCode code, uint value)
    {
        Span<byte> raw = stackalloc byte[UInt32Length];
        BinaryPrimitives.WriteUInt32BigEndian(raw, value);
        SetOption(code, raw);
    }

    /// <summary>Adds or replaces an option holding one IPv4 address.</summary>
    public void SetIPAddressOption(DhcpOptionCode code, IPAddress address) => SetIPAddressListOption(code, [address]);

    /// <summary>Adds or replaces an option holding IPv4 addresses in the given order.</summary>
    public void SetIPAddressListOption(DhcpOptionCode code, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var raw = new byte[addresses.Count * Ipv4Length];
        for (int i = 0; i < addresses.Count; i++)
        {
            RequireIpv4(addresses[i], nameof(addresses)).TryWriteBytes(raw.AsSpan(i * Ipv4Length), out _);
        }

        Set(DhcpOption.FromOwned(code, raw));
    }

    /// <summary>Adds or replaces a text option, encoded as UTF-8 without a trailing NUL (RFC 2132 §2).</summary>
    public void SetStringOption(DhcpOptionCode code, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Set(DhcpOption.FromOwned(code, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Removes the option; false when it was absent.</summary>
    public bool RemoveOption(DhcpOptionCode code)
    {
        int index = IndexOf(code);
        if (index < 0)
        {
            return false;
        }

        _options.RemoveAt(index);
        return true;
    }

    private void Set(DhcpOption option)
    {
        int index = IndexOf(option.Code);
        if (index >= 0)
        {
            _options[index] = option;
        }
        else
        {
            _options.Add(option);
        }
    }

    private int IndexOf(DhcpOptionCode code)
    {
        for (int i = 0; i < _options.Count; i++)
        {
            if (_options[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }
}
