using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>
/// One setting of SharpPXE: where it lives in the JSON configuration, what it holds, its default, and the
/// PyPXE key and command-line flag that set it. Everything that reads or prints settings works from these.
/// </summary>
public sealed record SettingDefinition
{
    /// <summary>Dotted path in SharpPXE's JSON configuration, e.g. <c>dhcp.serverIp</c>.</summary>
    public required string Path { get; init; }

    public required SettingKind Kind { get; init; }

    /// <summary>The built-in value (PyPXE's default where PyPXE has the setting).</summary>
    public required JsonNode? Default { get; init; }

    /// <summary>The section of --help and of the README this setting belongs to.</summary>
    public required string Group { get; init; }

    public required string Description { get; init; }

    /// <summary>The upper-case key of PyPXE's JSON configuration, where PyPXE has one.</summary>
    public string? PyPxeKey { get; init; }

    /// <summary>The command-line flag that takes a value, with its leading dashes, where there is one.</summary>
    public string? Flag { get; init; }

    /// <summary>
    /// Flags that take no value and set the setting to a fixed value (--tftp, --no-tftp, --dhcp-proxy).
    /// </summary>
    public IReadOnlyList<SettingSwitch> Switches { get; init; } = [];

    /// <summary>For an IPv4 setting: whether the empty string (meaning "derive it") is allowed.</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>The placeholder shown in --help for the flag's value.</summary>
    public string? ValueName { get; init; }

    /// <summary>Bounds of an <see cref="SettingKind.WholeNumber"/> setting.</summary>
    public long Minimum { get; init; }

    public long Maximum { get; init; } = long.MaxValue;

    /// <summary>The words a <see cref="SettingKind.Choice"/> setting accepts.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The name of the environment variable that sets this, e.g. <c>SHARPPXE_DHCP__SERVERIP</c>.</summary>
    public string EnvironmentVariable =>
        "SHARPPXE_" + Path.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();
}
