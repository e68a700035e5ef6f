using Microsoft.Extensions.Logging;
using SharpPxe.Diagnostics;

namespace SharpPxe.Tests.Diagnostics;

public class CountersTests
{
    [Fact]
    public void ServiceCounters_CountRequestsRepliesAndDropsByReason()
    {
        var registry = new CounterRegistry();
        ServiceCounters dhcp = registry.For("dhcp");

        Parallel.For(0, 1000, i =>
        {
            dhcp.CountRequest();
            if (i % 10 == 0)
            {
                dhcp.CountDrop(i % 20 == 0 ? "TooShort" : "BadMagicCookie");
            }
            else
            {
                dhcp.CountReply();
            }
        });

        Assert.Same(dhcp, registry.For("dhcp"));
        Assert.Equal(1000, dhcp.Requests);
        Assert.Equal(900, dhcp.Replies);
        Assert.Equal(100, dhcp.Dropped);
        Assert.Equal(50, dhcp.DroppedFor("TooShort"));
        Assert.Equal("1000 requests, 900 replies, 100 dropped (BadMagicCookie 50, TooShort 50)", dhcp.Summary());
    }

    [Fact]
    public void ServiceCounters_Gauge_GoesUpAndDown()
    {
        var counters = new ServiceCounters("tftp");

        counters.AddToGauge("openTransfers", 3);
        counters.AddToGauge("openTransfers", -2);

        Assert.Equal(1, counters.Gauge("openTransfers"));
        Assert.EndsWith(", openTransfers 1", counters.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void CounterRegistry_ListsServicesInNameOrder()
    {
        var registry = new CounterRegistry();
        registry.For("tftp");
        registry.For("dhcp");

        Assert.Equal(["dhcp", "tftp"], registry.All.Select(c => c.Service));
    }

    [Theory]
    [InlineData(new string[0], new string[0], "Warning", "Warning")]
    [InlineData(new[] { "dhcp" }, new string[0], "Debug", "Warning")]
    [InlineData(new string[0], new[] { "all" }, "Information", "Information")]
    [InlineData(new[] { "all", "-tftp" }, new[] { "tftp" }, "Debug", "Information")]
    [InlineData(new[] { "tftp" }, new[] { "all", "-dhcp" }, "Warning", "Debug")]
    public void ServiceLogLevels_AsPyPxeLists(string[] debug, string[] verbose, string dhcpLevel, string tftpLevel)
    {
        IReadOnlyDictionary<string, LogLevel> levels = ServiceLogLevels.Resolve(debug, verbose);

        Assert.Equal(Enum.Parse<LogLevel>(dhcpLevel), levels["dhcp"]);
        Assert.Equal(Enum.Parse<LogLevel>(tftpLevel), levels["tftp"]);
    }

    [Fact]
    public void ServiceLogLevels_MatchNamesWholeNotAsSubstrings()
    {
        // PyPXE tested `'http' in MODE_DEBUG`; a list naming only "nbd" must not switch on anything else.
        IReadOnlySet<string> selected = ServiceLogLevels.Select(["nbd"]);

        Assert.Equal(["nbd"], selected);
    }
}
