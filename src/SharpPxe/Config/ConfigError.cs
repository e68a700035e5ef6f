namespace SharpPxe.Config;

/// <summary>
/// One thing wrong with the configuration: where it came from, the key or flag at fault, the value given,
/// and what was expected. <see cref="ToString"/> gives the one line a user sees.
/// </summary>
/// <param name="Source">Where the value came from: "config file x.json", "environment", "command line".</param>
/// <param name="Key">The key, flag or variable at fault, e.g. <c>tftp.port</c> or <c>--tftp-port</c>.</param>
/// <param name="Value">The offending value as written, or null when there is none.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="Expected">What would be right.</param>
public sealed record ConfigError(string Source, string Key, string? Value, string Problem, string Expected)
{
    public override string ToString()
    {
        string value = Value is null ? string.Empty : $" = {Value}";
        // A problem quoted from an exception often ends with its own full stop: not before the semicolon.
        return $"{Source}: {Key}{value}: {Problem.TrimEnd('.')}; expected {Expected}";
    }
}
