using System.Text.Json;
using Microsoft.Extensions.Hosting;
using SharpPxe.Config;
using SharpPxe.Hosting;

namespace SharpPxe.Tests.Hosting;

/// <summary>
/// The console logger writes to Console.Error, which these tests swap for a buffer; they run alone so no other
/// test's output lands in it.
/// </summary>
[Collection(nameof(ConsoleErrorTests))]
public class LogFormatTests
{
    [Theory]
    [InlineData(LogFormat.Text)]
    [InlineData(LogFormat.Json)]
    public async Task Host_LogsInTheChosenFormatToStderr(LogFormat format)
    {
        string text = await RunHostCapturingStderrAsync(format);

        string line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => l.Contains("serving", StringComparison.Ordinal));
        if (format == LogFormat.Json)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            Assert.Equal(1, json.RootElement.GetProperty("EventId").GetInt32());
            Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
            Assert.StartsWith(
                "SharpPxe.Hosting", json.RootElement.GetProperty("Category").GetString(), StringComparison.Ordinal);
            Assert.Contains("serving", json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Matches(
                @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: SharpPxe\.Hosting\.LifecycleLogger\[1\] SharpPXE ",
                line);
        }
    }

    private static async Task<string> RunHostCapturingStderrAsync(LogFormat format)
    {
        TextWriter original = Console.Error;
        using var buffer = new StringWriter();
        Console.SetError(buffer);
        try
        {
            SharpPxeOptions options = ConfigJson.ToOptions(new ConfigBuilder().Values);
            options.Logging.Format = format;
            // No service: the host's own "serving" line is what is looked at, and nothing listens on the host.
            options.Tftp.Enabled = false;
            using (IHost host = SharpPxeHost.Create(options))
            {
                using CancellationTokenSource stop = HostTests.StopSoonAfterStart(host);
                Assert.Equal(0, await SharpPxeHost.RunAsync(host, TextWriter.Null, stop.Token));
            }

            // Disposing the host flushes the console logger's queue.
            return buffer.ToString();
        }
        finally
        {
            Console.SetError(original);
        }
    }
}

[CollectionDefinition(nameof(ConsoleErrorTests), DisableParallelization = true)]
public sealed class ConsoleErrorTests;
