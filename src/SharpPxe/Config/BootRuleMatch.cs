namespace SharpPxe.Config;

/// <summary>What a configured rule matches on; every field given must hold (an empty match is the default).</summary>
public sealed class BootRuleMatch
{
    /// <summary>One MAC, in any common spelling.</summary>
    public string? Mac { get; set; }

    /// <summary>The start of the MAC, e.g. "52:54:00" (any separator or case).</summary>
    public string? MacPrefix { get; set; }

    /// <summary>Option 93 codes, e.g. [7, 9] for x64 UEFI.</summary>
    public IReadOnlyList<int> Arch { get; set; } = [];

    /// <summary>A user class (option 77), e.g. "iPXE".</summary>
    public string? UserClass { get; set; }

    /// <summary>The start of option 60, e.g. "HTTPClient".</summary>
    public string? VendorClass { get; set; }
}
