using System.Text.Json.Nodes;
using SharpPxe.TryBoot;

namespace SharpPxe.Tests.TryBoot;

/// <summary>The server's JSON log lines (--log-format json) that the try timeline reads.</summary>
public class TryEventTests
{
    /// <summary>A line as the JSON console logger writes it, e.g. for event 1104.</summary>
    internal static string LogLine(
        int eventId, string level, string message, params (string Name, object Value)[] state)
    {
        var values = new JsonObject();
        foreach ((string name, object value) in state)
        {
            values[name] = JsonValue.Create(value);
        }

        values["{OriginalFormat}"] = "(template)";
        return new JsonObject
        {
            ["Timestamp"] = "2026-12-04T19:13:33.470Z",
            ["EventId"] = eventId,
            ["LogLevel"] = level,
            ["Category"] = "SharpPxe.Test",
            ["Message"] = message,
            ["State"] = values,
        }.ToJsonString();
    }

    [Fact]
    public void TryParse_TftpRefusedAsTheServerWritesIt_KindAndValues()
    {
        // As the server wrote it, but for line breaks between JSON tokens.
        const string Line = """
            {"Timestamp":"2026-12-04T19:13:33.470Z","EventId":1104,"LogLevel":"Information",
            "Category":"SharpPxe.Tftp.TftpService",
            "Message":"RRQ 127.0.0.1:39895 nope: refused with ERROR 1 (file not found)",
            "State":{"Client":"127.0.0.1:39895","File":"nope","Code":1,"Reason":"file not found",
            "{OriginalFormat}":"RRQ {Client} {File}: refused with ERROR {Code} ({Reason})"}}
            """;

        Assert.True(TryEvent.TryParse(Line, out TryEvent? e));

        Assert.Equal(TryEventKind.TftpRefused, e!.Kind);
        Assert.Equal("nope", e["File"]);
        Assert.Equal("1", e["Code"]);
        Assert.Equal(1, e.Number("Code"));
        Assert.Equal("file not found", e["Reason"]);
        Assert.Equal(string.Empty, e["NoSuchValue"]);
    }

    [Theory]
    [InlineData(1, "Information", TryEventKind.ServerReady)]
    [InlineData(1001, "Information", TryEventKind.DhcpOffer)]
    [InlineData(1002, "Information", TryEventKind.DhcpAck)]
    [InlineData(1003, "Information", TryEventKind.DhcpNak)]
    [InlineData(1019, "Debug", TryEventKind.DhcpReceived)]
    [InlineData(1102, "Debug", TryEventKind.TftpStarted)]
    [InlineData(1103, "Information", TryEventKind.TftpDone)]
    [InlineData(1109, "Debug", TryEventKind.TftpProgress)]
    [InlineData(1202, "Information", TryEventKind.HttpServed)]
    [InlineData(1602, "Information", TryEventKind.BootDone)]
    [InlineData(1108, "Error", TryEventKind.ServerProblem)]
    [InlineData(1007, "Warning", TryEventKind.ServerProblem)]
    public void TryParse_EventIds_MapToTheirKinds(int eventId, string level, TryEventKind expected)
    {
        Assert.True(TryEvent.TryParse(LogLine(eventId, level, "m"), out TryEvent? e));
        Assert.Equal(expected, e!.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sharppxe: error: configuration: netbootDir = x: does not exist")]
    [InlineData("{ not json")]
    [InlineData("""{"EventId":"x"}""")]
    [InlineData("""[1, 2]""")]
    public void TryParse_NotALogObject_False(string line)
    {
        Assert.False(TryEvent.TryParse(line, out TryEvent? e));
        Assert.Null(e);
    }

    [Fact]
    public void TryParse_LinesTheTimelineDoesNotShow_False()
    {
        Assert.False(TryEvent.TryParse(LogLine(1101, "Information", "TFTP listening on 0.0.0.0:69"), out _));
        Assert.False(TryEvent.TryParse(LogLine(3, "Information", "tftp: 2 requests"), out _));
        Assert.False(TryEvent.TryParse(LogLine(1105, "Debug", "dropped a datagram"), out _));
    }
}
