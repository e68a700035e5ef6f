using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using SharpPxe.Diagnostics;

namespace SharpPxe.Tests.Diagnostics;

public class LoggingTests
{
    [Fact]
    public void Syslog_SendsRfc3164LinesOverUdp()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveTimeout = 5000;
        var target = (IPEndPoint)receiver.LocalEndPoint!;

        using (var provider = new SyslogLoggerProvider(target))
        {
            ILogger logger = provider.CreateLogger("SharpPxe.Dhcp.DhcpServer");
            logger.LogWarning("pool exhausted for {Mac}", "52:54:00:c0:02:b1");
        }

        byte[] buffer = new byte[2048];
        int length = receiver.Receive(buffer);
        string line = Encoding.UTF8.GetString(buffer, 0, length);

        // <PRI> = facility user (1) * 8 + warning (4) = 12, then "Mmm dd hh:mm:ss host tag: message".
        Assert.Matches(@"^<12>[A-Z][a-z]{2} [ 1-3][0-9] \d\d:\d\d:\d\d \S+ sharppxe\[\d+\]: ", line);
        Assert.EndsWith("SharpPxe.Dhcp.DhcpServer: pool exhausted for 52:54:00:c0:02:b1", line,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LogLevel.Critical, 2)]
    [InlineData(LogLevel.Error, 3)]
    [InlineData(LogLevel.Warning, 4)]
    [InlineData(LogLevel.Information, 6)]
    [InlineData(LogLevel.Debug, 7)]
    public void Syslog_Severity_FollowsRfc3164(LogLevel level, int severity)
    {
        Assert.Equal(severity, SyslogLoggerProvider.Severity(level));
    }
}
