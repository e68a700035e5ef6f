using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpOverloadWriteTests
{
    private const int RandomSeed = 3396;
    private const int RandomIterations = 1000;

    [Fact]
    public void TryToArray_RandomOptionsAndMaxSizes_FitOrFailAndRoundTrip()
    {
        var random = new Random(RandomSeed);
        int overloaded = 0;
        for (int i = 0; i < RandomIterations; i++)
        {
            var message = new DhcpMessage { MessageType = DhcpMessageType.Offer };
            int count = random.Next(1, 12);
            for (int j = 0; j < count; j++)
            {
                var value = new byte[random.Next(0, random.Next(4) == 0 ? 700 : 80)];
                random.NextBytes(value);
                message.SetOption((DhcpOptionCode)random.Next(60, 250), value);
            }

            int maxSize = random.Next(DhcpMessage.MinimumMessageLength, 1200);
            if (!message.TryToArray(maxSize, out byte[]? written))
            {
                // Failing is only allowed when even the three areas together cannot hold the options.
                Assert.True(message.GetLength() > maxSize);
                continue;
            }

            Assert.InRange(written.Length, DhcpMessage.MinimumMessageLength, maxSize);
            Assert.True(DhcpMessage.TryParse(written, out DhcpMessage? parsed, out DhcpParseError error), $"{error}");
            Assert.Equal(
                message.Options.OrderBy(o => o.Code).Select(o => o.ToString()),
                parsed.Options.OrderBy(o => o.Code).Select(o => o.ToString()));
            overloaded += parsed.ParsedOverload == DhcpOptionOverload.None ? 0 : 1;
        }

        Assert.True(overloaded > RandomIterations / 20, $"only {overloaded} messages used overload");
    }

    [Fact]
    public void TryToArray_Overloaded_ShortOptionsStayWholeInOneArea()
    {
        var message = new DhcpMessage { MessageType = DhcpMessageType.Ack };
        message.SetOption(DhcpOptionCode.RootPath, new byte[100]);
        message.SetOption(DhcpOptionCode.DomainName, new byte[50]);
        message.SetOption(DhcpOptionCode.HostName, new byte[20]);

        Assert.True(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));

        // Every option code appears exactly once on the wire: nothing under 256 octets was split.
        int[] seen = new int[256];
        CountCodes(written.AsSpan(DhcpMessage.OptionsOffset), seen);
        CountCodes(written.AsSpan(108, 128), seen);
        CountCodes(written.AsSpan(44, 64), seen);
        Assert.Equal(1, seen[(int)DhcpOptionCode.RootPath]);
        Assert.Equal(1, seen[(int)DhcpOptionCode.DomainName]);
        Assert.Equal(1, seen[(int)DhcpOptionCode.HostName]);
        Assert.Equal(1, seen[(int)DhcpOptionCode.MessageType]);
    }

    [Fact]
    public void TryToArray_Overloaded_FirstFitAndEndInEveryUsedArea()
    {
        var message = new DhcpMessage();
        message.SetOption(DhcpOptionCode.RootPath, new byte[100]);
        message.SetOption(DhcpOptionCode.DomainName, new byte[50]);
        message.SetOption(DhcpOptionCode.HostName, new byte[60]);

        Assert.True(message.TryToArray(DhcpMessage.MinimumMessageLength, out byte[]? written));

        // Options field: 300 - 240 = 60 octets, less option 52 and End leaves 56.
        Assert.Equal(Hex.Bytes("34 01 03"), written[240..243]);
        Assert.Equal(Hex.Bytes("0f 32"), written[243..245]);          // domain name (52) fits here
        Assert.Equal((byte)DhcpOptionCode.End, written[243 + 52]);
        Assert.Equal(Hex.Bytes("11 64"), written[108..110]);          // root path (102) goes to file
        Assert.Equal((byte)DhcpOptionCode.End, written[108 + 102]);
        Assert.Equal(Hex.Bytes("0c 3c"), written[44..46]);            // host name (62) goes to sname
        Assert.Equal((byte)DhcpOptionCode.End, written[44 + 62]);
    }

    private static void CountCodes(ReadOnlySpan<byte> area, int[] seen)
    {
        int position = 0;
        while (position < area.Length && area[position] != (byte)DhcpOptionCode.End)
        {
            if (area[position] == (byte)DhcpOptionCode.Pad)
            {
                position++;
                continue;
            }

            seen[area[position]]++;
            position += 2 + area[position + 1];
        }
    }
}
