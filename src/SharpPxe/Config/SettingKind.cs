namespace SharpPxe.Config;

/// <summary>
/// The shape of a setting's value: how it is written in JSON, in the environment and on the command line.
/// </summary>
public enum SettingKind
{
    /// <summary>true or false; a switch on the command line.</summary>
    Bool,

    /// <summary>A UDP or TCP port, 1 to 65535.</summary>
    Port,

    /// <summary>A whole number within the definition's bounds.</summary>
    WholeNumber,

    /// <summary>A dotted-quad IPv4 address.</summary>
    IPv4,

    /// <summary>A dotted-quad IPv4 netmask with contiguous ones.</summary>
    Netmask,

    /// <summary>Free text, possibly empty.</summary>
    Text,

    /// <summary>A file or directory path, possibly empty.</summary>
    Path,

    /// <summary>Text or null (absent).</summary>
    OptionalText,

    /// <summary>A list of IPv4 addresses; a single address or a comma list on the command line.</summary>
    IPv4List,

    /// <summary>
    /// PyPXE's service list for --debug and --verbose: dhcp, tftp, http, nbd, all, and -name to exclude.
    /// </summary>
    ServiceList,

    /// <summary>One of a fixed set of words.</summary>
    Choice,

    /// <summary>The list of configured boot rules (JSON only; the environment takes the list as JSON text).</summary>
    Rules,
}
