namespace SharpPxe.Dhcp;

/// <summary>Why <see cref="DhcpMessage.TryParse"/> rejected a datagram.</summary>
public enum DhcpParseError
{
    /// <summary>The datagram was parsed.</summary>
    None = 0,

    /// <summary>Shorter than the 236-octet fixed header plus the 4-octet magic cookie.</summary>
    TooShort,

    /// <summary>The op field is neither BOOTREQUEST (1) nor BOOTREPLY (2).</summary>
    BadOp,

    /// <summary>hlen is larger than the 16-octet chaddr field.</summary>
    BadHlen,

    /// <summary>The four octets after the fixed header are not 99.130.83.99.</summary>
    BadMagicCookie,

    /// <summary>An option's length octet is missing or its value runs past the end of its area.</summary>
    OptionTruncated,

    /// <summary>An options area (options, or file/sname when overloaded) ends without the End option.</summary>
    MissingEnd,

    /// <summary>Option 52 has a length other than 1, a value outside 1..3, or appears twice.</summary>
    BadOverload,

    /// <summary>Option 52 appears inside the file or sname field it points to.</summary>
    OverloadLoop,
}
