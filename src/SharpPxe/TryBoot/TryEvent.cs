using System.Globalization;
using System.Text.Json;

namespace SharpPxe.TryBoot;

/// <summary>
/// One line of the server's JSON log (<c>--log-format json</c>) that the timeline shows: its kind, its message and
/// the named values of its message template (event <c>State</c>).
/// </summary>
public sealed class TryEvent
{
    private readonly IReadOnlyDictionary<string, string> _values;

    private TryEvent(TryEventKind kind, string message, IReadOnlyDictionary<string, string> values)
    {
        Kind = kind;
        Message = message;
        _values = values;
    }

    /// <summary>What the line means.</summary>
    public TryEventKind Kind { get; }

    /// <summary>The rendered log message.</summary>
    public string Message { get; }

    /// <summary>A value of the message template, e.g. "File"; empty when the line has none.</summary>
    public string this[string name] => _values.GetValueOrDefault(name, string.Empty);

    /// <summary>A whole-number value of the template, or 0.</summary>
    public long Number(string name) =>
        long.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;

    /// <summary>
    /// Reads one log line. Returns false for lines that are not JSON log objects or that the timeline does not
    /// show (listening lines, counters, and so on).
    /// </summary>
    public static bool TryParse(string line, out TryEvent? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("EventId", out JsonElement idElement)
                || idElement.ValueKind != JsonValueKind.Number
                || !idElement.TryGetInt32(out int eventId))
            {
                return false;
            }

            string level = root.TryGetProperty("LogLevel", out JsonElement l) ? l.GetString() ?? string.Empty : "";
            TryEventKind? kind = KindOf(eventId, level);
            if (kind is null)
            {
                return false;
            }

            string message = root.TryGetProperty(nameof(Message), out JsonElement m)
                ? m.GetString() ?? string.Empty
                : string.Empty;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("State", out JsonElement state) && state.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in state.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString() ?? string.Empty
                        : property.Value.GetRawText();
                }
            }

            if (root.TryGetProperty("Exception", out JsonElement exception)
                && exception.ValueKind == JsonValueKind.String)
            {
                values["Exception"] = exception.GetString() ?? string.Empty;
            }

            parsed = new TryEvent(kind.Value, message, values);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Makes an event directly (tests and callers that have the values already).</summary>
    public static TryEvent Create(TryEventKind kind, string message, IReadOnlyDictionary<string, string> values) =>
        new(kind, message ?? string.Empty, values ?? new Dictionary<string, string>());

    private static TryEventKind? KindOf(int eventId, string level) => eventId switch
    {
        1 => TryEventKind.ServerReady,
        1001 => TryEventKind.DhcpOffer,
        1002 => TryEventKind.DhcpAck,
        1003 => TryEventKind.DhcpNak,
        1019 => TryEventKind.DhcpReceived,
        1102 => TryEventKind.TftpStarted,
        1103 => TryEventKind.TftpDone,
        1104 => TryEventKind.TftpRefused,
        1109 => TryEventKind.TftpProgress,
        1202 => TryEventKind.HttpServed,
        1602 => TryEventKind.BootDone,
        _ when level is "Warning" or "Error" or "Critical" => TryEventKind.ServerProblem,
        _ => null,
    };
}
