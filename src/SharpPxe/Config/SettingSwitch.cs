using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>A command-line flag without a value that sets one setting to a fixed value.</summary>
/// <param name="Flag">The flag with its dashes, e.g. <c>--no-tftp</c>.</param>
/// <param name="Value">The value the flag gives the setting.</param>
/// <param name="Description">What the flag does, for --help.</param>
public sealed record SettingSwitch(string Flag, JsonNode Value, string Description);
