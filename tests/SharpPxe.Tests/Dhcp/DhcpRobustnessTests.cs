using SharpPxe.Dhcp;

namespace SharpPxe.Tests.Dhcp;

public sealed class DhcpRobustnessTests
{
    private const int RandomSeed = 20261204;
    private const int RandomIterations = 3000;
    private const int MaxRandomLength = 1500;

    [Fact]
    public void TryParse_EveryPrefixOfDiscoverBeforeEnd_RejectedWithReason()
    {
        byte[] datagram = ClientVectors.IpxeEfiDiscover();
        int endOffset = datagram.Length - 1;
        Assert.Equal((byte)DhcpOptionCode.End, datagram[endOffset]);
        HashSet<int> optionBoundaries = OptionBoundaries(datagram);

        for (int length = 0; length <= endOffset; length++)
        {
            bool parsed = DhcpMessage.TryParse(datagram.AsSpan(0, length), out DhcpMessage? message,
                out DhcpParseError error);

            Assert.False(parsed, $"prefix of {length} octets was accepted");
            Assert.Null(message);
            DhcpParseError expected = length < DhcpMessage.OptionsOffset ? DhcpParseError.TooShort
                : optionBoundaries.Contains(length) ? DhcpParseError.MissingEnd
                : DhcpParseError.OptionTruncated;
            Assert.True(expected == error, $"prefix of {length} octets: {error}, expected {expected}");
        }
    }

    [Fact]
    public void TryParse_DiscoverWithPaddingAfterEnd_AcceptedWhateverThePaddingLength()
    {
        byte[] datagram = Hex.PadTo(ClientVectors.IpxeEfiDiscover(), 600);
        int full = ClientVectors.IpxeEfiDiscover().Length;

        for (int length = full; length <= datagram.Length; length++)
        {
            Assert.True(DhcpMessage.TryParse(datagram.AsSpan(0, length), out DhcpMessage? message, out _));
            Assert.Equal(10, message.Options.Count);
        }
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        var random = new Random(RandomSeed);
        for (int i = 0; i < RandomIterations; i++)
        {
            var datagram = new byte[random.Next(MaxRandomLength + 1)];
            random.NextBytes(datagram);

            bool parsed = DhcpMessage.TryParse(datagram, out DhcpMessage? message, out DhcpParseError error);

            Assert.Equal(parsed, message is not null);
            Assert.Equal(parsed, error == DhcpParseError.None);
        }
    }

    [Fact]
    public void TryParse_RandomOptionsBehindValidHeader_NeverThrowsAndRoundTrips()
    {
        // Random bytes rarely get past the cookie; here the header is valid and the three areas hold
        // random well-formed options, then one random octet in four datagrams is overwritten, so the
        // option walker, overload handling and the writer all get random input.
        var random = new Random(RandomSeed);
        int accepted = 0;
        for (int i = 0; i < RandomIterations; i++)
        {
            byte[] datagram = RandomDatagram(random);
            if (random.Next(4) == 0)
            {
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            }

            if (!DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _))
            {
                continue;
            }

            accepted++;
            Assert.True(DhcpMessage.TryParse(message.ToArray(), out DhcpMessage? again, out DhcpParseError error),
                error.ToString());
            Assert.Equal(message.Options.Select(o => o.ToString()), again.Options.Select(o => o.ToString()));
        }

        Assert.True(accepted > RandomIterations / 2, $"only {accepted} random datagrams were accepted");
    }

    [Fact]
    public void TryParse_EveryPrefixOfDiscover_NeverThrowsOnAnyHlen()
    {
        byte[] datagram = ClientVectors.OvmfDiscover();
        for (int hlen = 0; hlen <= byte.MaxValue; hlen++)
        {
            datagram[2] = (byte)hlen;
            bool parsed = DhcpMessage.TryParse(datagram, out DhcpMessage? message, out _);
            Assert.Equal(hlen <= 16, parsed);
            if (parsed)
            {
                Assert.Equal(hlen, message!.ClientHardwareAddress.Length);
                Assert.Equal(hlen == 6 ? "52:54:00:c0:02:e1" : null, message.ClientMacAddress);
            }
        }
    }

    private static byte[] RandomDatagram(Random random)
    {
        var overload = (DhcpOptionOverload)random.Next(4);
        var datagram = new List<byte>(new byte[DhcpMessage.FixedHeaderLength]);
        datagram[0] = (byte)BootpOp.BootRequest;
        datagram[1] = 1;
        datagram[2] = (byte)random.Next(17);
        datagram.AddRange(Hex.Bytes(ClientVectors.Cookie));
        if (overload != DhcpOptionOverload.None)
        {
            datagram.AddRange([(byte)DhcpOptionCode.OptionOverload, 1, (byte)overload]);
        }

        datagram.AddRange(RandomOptions(random, random.Next(MaxRandomLength - 300)));
        byte[] result = [.. datagram];
        if ((overload & DhcpOptionOverload.ServerName) != 0)
        {
            RandomOptions(random, 63).CopyTo(result, 44);
        }

        if ((overload & DhcpOptionOverload.File) != 0)
        {
            RandomOptions(random, 127).CopyTo(result, 108);
        }

        return result;
    }

    /// <summary>Random well-formed options (codes 1..254 but 52) and End, in at most room + 1 octets.</summary>
    private static byte[] RandomOptions(Random random, int room)
    {
        var options = new List<byte>();
        while (true)
        {
            // Keep one octet for End and two for the code and length.
            int available = room - options.Count - 3;
            if (available < 0 || random.Next(8) == 0)
            {
                break;
            }

            int length = random.Next(Math.Min(available, 40) + 1);

            if (random.Next(6) == 0)
            {
                options.Add((byte)DhcpOptionCode.Pad);
                continue;
            }

            byte code = (byte)random.Next(1, 255);
            options.Add(code == (byte)DhcpOptionCode.OptionOverload ? (byte)DhcpOptionCode.HostName : code);
            options.Add((byte)length);
            for (int i = 0; i < length; i++)
            {
                options.Add((byte)random.Next(256));
            }
        }

        options.Add((byte)DhcpOptionCode.End);
        return [.. options];
    }

    /// <summary>Offsets at which an option (or the options area) starts: a cut there splits no option.</summary>
    private static HashSet<int> OptionBoundaries(byte[] datagram)
    {
        var boundaries = new HashSet<int>();
        int position = DhcpMessage.OptionsOffset;
        while (datagram[position] != (byte)DhcpOptionCode.End)
        {
            boundaries.Add(position);
            position += datagram[position] == 0 ? 1 : 2 + datagram[position + 1];
        }

        boundaries.Add(position);
        return boundaries;
    }
}
