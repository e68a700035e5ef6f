using System.Text;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// Requests that are broken, hostile or out of range, and datagrams that are not requests at all, sent to
/// the listening port: each ends as the RFCs say, and a normal fetch alongside succeeds meanwhile.
/// </summary>
public sealed class MalformedRequestTests(LoopbackServerFixture server) : IClassFixture<LoopbackServerFixture>
{
    /// <summary>How long to listen for a reply that must not come: replies to requests come at once.</summary>
    private static readonly TimeSpan s_silence = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData("0001" + "666F726479" + "6F63746574", "Unterminated")] // opcode, "fordy", "octet": no NUL
    [InlineData("0001" + "666F726479" + "00" + "6F63746574", "Unterminated")] // the mode has no NUL
    [InlineData("0001" + "666F726479" + "00" + "6F6374657400" + "626C6B73697A6500" + "353132", "Unterminated")]
    public async Task Request_WithoutNul_IsDroppedSilentlyAndCounted(string hex, string reason)
    {
        long before = server.Counters.DroppedFor(reason);
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Small);

        List<WirePacket> replies = await SendAndListenAsync(Convert.FromHexString(hex));

        Assert.Empty(replies);
        Assert.Equal(before + 1, await server.WaitForDropsAsync(reason, before + 1));
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), (await normal).Sha256);
    }

    [Fact]
    public async Task Request_EmptyFileName_GetsError2FromListener()
    {
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Small);

        List<WirePacket> replies = await SendAndListenAsync(TftpWire.ReadRequestFor(string.Empty), replyExpected: true);

        WirePacket reply = Assert.Single(replies);
        Assert.True(reply.IsError, reply.ToString());
        Assert.Equal(2, reply.Number);
        Assert.Equal(server.EndPoint, reply.From);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), (await normal).Sha256);
    }

    [Fact]
    public async Task Request_ThousandOptions_GetsError8AndNoTransfer()
    {
        long before = server.Counters.DroppedFor("TooManyOptions");
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Small);
        (string, string)[] options = Enumerable.Range(0, 1000)
            .Select(i => ($"x-option-{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

        List<WirePacket> replies = await SendAndListenAsync(
            TftpWire.ReadRequestFor(LoopbackCorpus.Small, options), replyExpected: true);

        // RFC 2347 §2: the negotiation fails with ERROR 8; no OACK, no DATA.
        WirePacket reply = Assert.Single(replies);
        Assert.True(reply.IsError, reply.ToString());
        Assert.Equal(8, reply.Number);
        Assert.Equal(before + 1, await server.WaitForDropsAsync("TooManyOptions", before + 1));
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), (await normal).Sha256);
    }

    [Fact]
    public async Task Request_BlockSizeZero_IsIgnoredAndBlocksAre512()
    {
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Window);

        FetchResult result = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            return client.Fetch(LoopbackCorpus.Small, [("blksize", "0")]);
        });

        // RFC 2348 §2 allows 8..65464: 0 is ignored, the only option, so no OACK and DATA 1 comes at once.
        Assert.Null(result.OptionAck);
        Assert.Equal(6, result.Blocks);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), result.Sha256);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), (await normal).Sha256);
    }

    [Fact]
    public async Task Request_BlockSize70000_IsAnsweredWithTheLimit()
    {
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Window);

        FetchResult result = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            return client.Fetch(LoopbackCorpus.OneMebibyte, [("blksize", "70000"), ("tsize", "0")]);
        });

        // RFC 2348 §2: the largest block is 65464 (loopback's MTU of 65536 allows it): 16 full blocks and a short one.
        Assert.Equal("65464", result.OptionAck!["blksize"]);
        Assert.Equal("1048576", result.OptionAck["tsize"]);
        Assert.Equal(17, result.Blocks);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.OneMebibyte), result.Sha256);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), (await normal).Sha256);
    }

    [Fact]
    public async Task Request_Write_GetsError2AndNoTransfer()
    {
        long before = server.Counters.DroppedFor("WriteRequest");

        List<WirePacket> replies = await SendAndListenAsync(
            TftpWire.Request(TftpWire.WriteRequest, "upload.bin", "octet", ("tsize", "100")), replyExpected: true);

        WirePacket reply = Assert.Single(replies);
        Assert.True(reply.IsError, reply.ToString());
        Assert.Equal(2, reply.Number);
        Assert.Equal(before + 1, await server.WaitForDropsAsync("WriteRequest", before + 1));
        Assert.False(File.Exists(LoopbackCorpus.PathOf("upload.bin")));
    }

    [Theory]
    [InlineData("00040001", "UnexpectedAck")]
    [InlineData("0003000148656C6C6F", "UnexpectedData")]
    [InlineData("00050000626F6F00", "UnexpectedError")]
    [InlineData("0006626C6B73697A65003531320000", "UnexpectedOptionAck")]
    [InlineData("00", "UnknownOpcode")]
    [InlineData("0009000100", "UnknownOpcode")]
    [InlineData("FFFF", "UnknownOpcode")]
    public async Task Datagram_NotARequestOnListeningPort_IsDroppedAndCounted(string hex, string reason)
    {
        long before = server.Counters.DroppedFor(reason);
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Small);

        List<WirePacket> replies = await SendAndListenAsync(Convert.FromHexString(hex));

        Assert.Empty(replies);
        Assert.Equal(before + 1, await server.WaitForDropsAsync(reason, before + 1));
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), (await normal).Sha256);
    }

    [Fact]
    public void Codec_HexOfTheUnterminatedRequest_IsWhatTheTheoryClaims()
    {
        // Guards the hand-written hex above: "fordy" and "octet" in ASCII.
        Assert.Equal("666F726479", Convert.ToHexString(Encoding.ASCII.GetBytes("fordy")));
        Assert.Equal("6F63746574", Convert.ToHexString(Encoding.ASCII.GetBytes("octet")));
    }

    /// <summary>
    /// Sends <paramref name="datagram"/> to port 69 and gathers what comes back. With
    /// <paramref name="replyExpected"/>, the first reply is awaited as long as any reply (a busy machine may be
    /// slow to answer), then whatever follows within the silence window; otherwise only the silence window.
    /// </summary>
    private Task<List<WirePacket>> SendAndListenAsync(byte[] datagram, bool replyExpected = false) =>
        ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            client.SendToServer(datagram);
            var replies = new List<WirePacket>();
            if (replyExpected)
            {
                replies.Add(client.Expect("reply"));
            }

            replies.AddRange(client.Drain(s_silence));
            return replies;
        });
}
