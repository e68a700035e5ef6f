using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp;

public sealed class TftpNegotiationTests
{
    private static readonly TftpLimits s_defaults = new();

    private static TftpRequest Rrq(params string[] optionPairs)
    {
        var options = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < optionPairs.Length; i += 2)
        {
            options.Add(new(optionPairs[i], optionPairs[i + 1]));
        }

        return new TftpRequest(TftpOpcode.ReadRequest, "pxelinux.0", TftpMode.Octet, options);
    }

    /// <summary>The expected OACK list: one option, or none when <paramref name="value"/> is null.</summary>
    private static KeyValuePair<string, string>[] Ack(string name, string? value) =>
        value is null ? [] : [new(name, value)];

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static TftpNegotiation Negotiate(TftpRequest request, long size = 1000, int mtu = 0) =>
        TftpNegotiation.Negotiate(request, size, s_defaults, mtu);

    [Fact]
    public void Negotiate_NoOptions_DefaultsAndNothingAcknowledged()
    {
        TftpNegotiation result = Negotiate(Rrq());

        Assert.Equal(512, result.BlockSize);
        Assert.Equal(1, result.WindowSize);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Timeout);
        Assert.False(result.Rollover);
        Assert.Equal(0, result.RolloverTo);
        Assert.Empty(result.Acknowledged);
    }

    [Theory]
    [InlineData("0", 512, null)]
    [InlineData("7", 512, null)]
    [InlineData("8", 8, "8")]
    [InlineData("512", 512, "512")]
    [InlineData("1468", 1468, "1468")]
    [InlineData("65464", 65464, "65464")]
    [InlineData("70000", 65464, "65464")]
    [InlineData("99999999999999999999999", 65464, "65464")]
    [InlineData("1468a", 512, null)]
    [InlineData("-1", 512, null)]
    [InlineData(" 1468", 512, null)]
    [InlineData("", 512, null)]
    public void Negotiate_BlockSize_AcceptedClampedOrIgnored(string value, int expected, string? acknowledged)
    {
        TftpNegotiation result = Negotiate(Rrq("blksize", value));

        Assert.Equal(expected, result.BlockSize);
        Assert.Equal(Ack("blksize", acknowledged), result.Acknowledged);
    }

    [Theory]
    [InlineData(1500, "65464", 1468)]
    [InlineData(1500, "1468", 1468)]
    [InlineData(1500, "1024", 1024)]
    [InlineData(9000, "65464", 8968)]
    [InlineData(0, "65464", 65464)]
    public void Negotiate_BlockSizeWithPathMtu_ClampedToMtuLessHeaders(int mtu, string value, int expected)
    {
        TftpNegotiation result = Negotiate(Rrq("blksize", value), mtu: mtu);

        Assert.Equal(expected, result.BlockSize);
        Assert.Equal([new("blksize", Text(expected))], result.Acknowledged);
    }

    [Fact]
    public void Negotiate_BlockSizeAboveConfiguredLimit_ClampedToLimit()
    {
        TftpNegotiation result = TftpNegotiation.Negotiate(
            Rrq("blksize", "8192"), 1000, new TftpLimits(MaxBlockSize: 4096), 0);

        Assert.Equal(4096, result.BlockSize);
        Assert.Equal([new("blksize", "4096")], result.Acknowledged);
    }

    [Theory]
    [InlineData("0", 123456L, "123456")]
    [InlineData("0", 0L, "0")]
    [InlineData("0", -1L, null)]
    [InlineData("zero", 123456L, null)]
    [InlineData("", 123456L, null)]
    public void Negotiate_TransferSize_AnsweredWithSizeWhenKnown(string value, long size, string? acknowledged)
    {
        TftpNegotiation result = Negotiate(Rrq("tsize", value), size);

        Assert.Equal(Ack("tsize", acknowledged), result.Acknowledged);
    }

    [Fact]
    public void Negotiate_TransferSizeInWriteRequest_Echoed()
    {
        var request = new TftpRequest(TftpOpcode.WriteRequest, "up", TftpMode.Octet, [new("tsize", "4096")]);

        Assert.Equal([new("tsize", "4096")], Negotiate(request, -1).Acknowledged);
    }

    [Theory]
    [InlineData("0", 1, null)]
    [InlineData("1", 1, "1")]
    [InlineData("5", 5, "5")]
    [InlineData("255", 255, "255")]
    [InlineData("256", 1, null)]
    [InlineData("1.5", 1, null)]
    public void Negotiate_Timeout_OneTo255AcceptedAndEchoed(string value, int seconds, string? acknowledged)
    {
        TftpNegotiation result = Negotiate(Rrq("timeout", value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Timeout);
        Assert.Equal(Ack("timeout", acknowledged), result.Acknowledged);
    }

    [Fact]
    public void Negotiate_NoTimeout_UsesConfiguredDefault()
    {
        TftpNegotiation result = TftpNegotiation.Negotiate(Rrq(), 0, new TftpLimits(DefaultTimeoutSeconds: 3), 0);

        Assert.Equal(TimeSpan.FromSeconds(3), result.Timeout);
    }

    [Theory]
    [InlineData("512", "64", 64)]       // 65536 / 512 = 128, capped by MaxWindowSize 64
    [InlineData("512", "16", 16)]
    [InlineData("1468", "64", 44)]      // 65536 / 1468 = 44.6
    [InlineData("8192", "16", 8)]       // 64 KiB in flight
    [InlineData("65464", "16", 1)]      // one block already fills the budget
    [InlineData("1468", "1", 1)]
    public void Negotiate_WindowSize_ClampedToInFlightBudget(string blockSize, string window, int expected)
    {
        TftpNegotiation result = Negotiate(Rrq("blksize", blockSize, "windowsize", window));

        Assert.Equal(expected, result.WindowSize);
        Assert.Equal([new("blksize", blockSize), new("windowsize", Text(expected))], result.Acknowledged);
    }

    [Fact]
    public void Negotiate_WindowSizeBeforeBlockSize_UsesNegotiatedBlockSizeAndKeepsClientOrder()
    {
        TftpNegotiation result = Negotiate(Rrq("windowsize", "64", "blksize", "1468"));

        Assert.Equal(44, result.WindowSize);
        Assert.Equal([new("windowsize", "44"), new("blksize", "1468")], result.Acknowledged);
    }

    [Fact]
    public void Negotiate_WindowSizeWithoutBlockSize_UsesDefaultBlock()
    {
        TftpNegotiation result = Negotiate(Rrq("windowsize", "100"));

        Assert.Equal(64, result.WindowSize);
        Assert.Equal([new("windowsize", "64")], result.Acknowledged);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("many")]
    public void Negotiate_WindowSizeOutOfRangeOrNotANumber_Ignored(string value)
    {
        TftpNegotiation result = Negotiate(Rrq("windowsize", value));

        Assert.Equal(1, result.WindowSize);
        Assert.Empty(result.Acknowledged);
    }

    [Theory]
    [InlineData("0", true, 0, "0")]
    [InlineData("1", true, 1, "1")]
    [InlineData("2", false, 0, null)]
    [InlineData("01", false, 0, null)]
    [InlineData("yes", false, 0, null)]
    public void Negotiate_Rollover_ZeroOrOneAccepted(string value, bool rollover, int to, string? acknowledged)
    {
        TftpNegotiation result = Negotiate(Rrq("rollover", value));

        Assert.Equal(rollover, result.Rollover);
        Assert.Equal(to, result.RolloverTo);
        Assert.Equal(Ack("rollover", acknowledged), result.Acknowledged);
    }

    [Fact]
    public void Negotiate_UnknownOptions_IgnoredOthersInClientOrder()
    {
        TftpNegotiation result = Negotiate(
            Rrq("multicast", "", "tsize", "0", "foo", "bar", "timeout", "5", "blksize", "1468"), size: 42);

        Assert.Equal(
            [new("tsize", "42"), new("timeout", "5"), new("blksize", "1468")],
            result.Acknowledged);
    }

    [Fact]
    public void Negotiate_UefiProbe_AnswersBlockSizeAndSize()
    {
        // OVMF's first RRQ: "tsize 0" and "blksize 1468", then it aborts with ERROR 8 after the OACK.
        TftpNegotiation result = Negotiate(Rrq("blksize", "1468", "tsize", "0"), size: 1_048_576, mtu: 1500);

        Assert.Equal(1468, result.BlockSize);
        Assert.Equal([new("blksize", "1468"), new("tsize", "1048576")], result.Acknowledged);
    }
}
