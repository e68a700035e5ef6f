namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// What real clients do not exercise, played packet by packet by <see cref="ScriptedTftpClient"/>: lost
/// DATA and OACK, an ERROR after the OACK, a stranger's ACK, a repeated RRQ, a gap in a window, rollover.
/// Each one also runs a normal fetch alongside, which must succeed meanwhile.
/// </summary>
public sealed class ScriptedTransferTests(LoopbackServerFixture server) : IClassFixture<LoopbackServerFixture>
{
    [Fact]
    public async Task Transfer_DataNotAcked_RetransmitsBlockAfterTimeoutAndCompletes()
    {
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Window);
        FetchResult result = await ClientThread.Run(() =>
        {
            // Lock-step (no options): the second block is received but not ACKed.
            using var client = new ScriptedTftpClient(server.EndPoint);
            return client.Fetch(LoopbackCorpus.Small, [], lose: index => index == 2);
        });

        Assert.Equal([2L], result.Lost);
        Assert.True(result.WireLog.Count(block => block == 2) >= 2, string.Join(' ', result.WireLog));
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), result.Sha256);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), (await normal).Sha256);
    }

    [Fact]
    public async Task Transfer_OptionAckNotAcked_SendsTheSameOackAgainAndCompletes()
    {
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Window);
        await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.Small, ("blksize", "1024"), ("tsize", "0")));
            WirePacket first = client.Expect("OACK");
            Assert.True(first.IsOptionAck, first.ToString());
            Assert.Equal("1024", first.Options["blksize"]);
            Assert.Equal("2600", first.Options["tsize"]);

            // Not ACKed: after its timeout the server sends the same OACK again, from the same port.
            WirePacket again = client.Expect("repeated OACK");
            Assert.True(again.IsOptionAck && again.SameBytes(first), again.ToString());
            Assert.Equal(first.From, again.From);

            client.Peer = first.From;
            client.SendToPeer(TftpWire.AckOf(0));
            var data = new List<byte>();
            for (ushort block = 1; block <= 3; block++)
            {
                WirePacket packet = client.ExpectData(block);
                Assert.True(packet.IsData && packet.Number == block, packet.ToString());
                data.AddRange(packet.Payload.ToArray());
                client.SendToPeer(TftpWire.AckOf(block));
            }

            Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), LoopbackCorpus.Sha256([.. data]));
        });

        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), (await normal).Sha256);
    }

    [Fact]
    public async Task Transfer_ErrorAfterOptionAck_EndsAtOnceQuietly()
    {
        long endedByClient = server.Counters.DroppedFor("TransferClientError");
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Window);
        List<WirePacket> afterError = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.OneMebibyte, ("tsize", "0")));
            WirePacket oack = client.Expect("OACK");
            Assert.True(oack.IsOptionAck, oack.ToString());
            Assert.Equal("1048576", oack.Options["tsize"]);

            // What a client that only wanted the size does (RFC 2347 §2 / RFC 2349): ERROR 8.
            client.SendTo(TftpWire.ErrorOf(8, "tsize only"), oack.From);

            // Longer than the retransmission timeout: a transfer still alive would send its OACK again. (A copy
            // may cross our ERROR if the server's timer ran out first on a busy machine; DATA never may.)
            List<WirePacket> after = client.Drain(TimeSpan.FromSeconds(LoopbackServerFixture.TimeoutSeconds * 1.5));
            return after.Where(p => !(p.IsOptionAck && p.SameBytes(oack))).ToList();
        });

        Assert.Empty(afterError);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), (await normal).Sha256);
        Assert.Equal(0, await server.WaitForNoOpenTransfersAsync(LoopbackServerFixture.RetryBudget));
        long ended = endedByClient + 1;
        Assert.Equal(ended, await server.WaitForDropsAsync("TransferClientError", ended));
    }

    [Fact]
    public async Task Transfer_ClientGoneMidTransfer_EndsAtFirstRetransmissionNotAfterAllRetries()
    {
        long gone = server.Counters.DroppedFor("TransferClientGone");
        await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.OneMebibyte));
            Assert.True(client.Expect("DATA 1").IsData);

            // The machine resets: its port is closed, and the server's retransmission meets ICMP port unreachable.
        });

        long expected = gone + 1;
        Assert.Equal(expected, await server.WaitForDropsAsync("TransferClientGone", expected));
        Assert.Equal(0, await server.WaitForNoOpenTransfersAsync(
            TimeSpan.FromSeconds(LoopbackServerFixture.TimeoutSeconds * 2.5)));
    }

    [Fact]
    public async Task Transfer_AckFromWrongPort_StrangerGetsError5AndTransferCompletes()
    {
        long strangers = server.Counters.DroppedFor("UnknownTransferId");
        (WirePacket reply, FetchResult result) = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            using var stranger = new ScriptedTftpClient(server.EndPoint);
            WirePacket? answer = null;
            FetchResult fetched = client.Fetch(LoopbackCorpus.Small, [], lose: index =>
            {
                if (index == 3)
                {
                    // Mid-transfer, another port ACKs the block the client is waiting on.
                    stranger.SendTo(TftpWire.AckOf(3), client.Peer!);
                    answer = stranger.Expect("ERROR 5");
                }

                return false;
            });
            return (answer!, fetched);
        });

        Assert.True(reply.IsError, reply.ToString());
        Assert.Equal(5, reply.Number);
        Assert.Equal(result.Peer, reply.From);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), result.Sha256);
        Assert.Equal(strangers + 1, await server.WaitForDropsAsync("UnknownTransferId", strangers + 1));
    }

    [Fact]
    public async Task Transfer_SameRequestTwiceFromOnePort_OneTransferOnly()
    {
        long duplicates = server.Counters.DroppedFor("DuplicateRequest");
        (FetchResult result, List<WirePacket> late) = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);

            // The first copy goes out by hand, the second from Fetch: both before any reply is read.
            client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.Small));
            FetchResult fetched = client.Fetch(LoopbackCorpus.Small, []);

            // A second transfer would show itself by its own DATA 1 (and retransmissions) from another port.
            return (fetched, client.Drain(TimeSpan.FromSeconds(LoopbackServerFixture.TimeoutSeconds * 1.5)));
        });

        // Blocks sent again because an ACK was late (a busy machine) come from the one transfer's port; a second
        // transfer would come from another.
        string seen = $"peer {result.Peer}, blocks {string.Join(' ', result.WireLog)}, strays "
            + $"[{string.Join("; ", result.Strays)}], late [{string.Join("; ", late)}], duplicates counted "
            + $"{server.Counters.DroppedFor("DuplicateRequest") - duplicates}";
        Assert.True(result.Strays.Count == 0 && late.All(p => p.IsData && p.From.Equals(result.Peer)), seen);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), result.Sha256);
        Assert.Equal([1, 2, 3, 4, 5, 6], result.WireLog.Distinct().Select(block => (int)block));
        Assert.Equal(duplicates + 1, await server.WaitForDropsAsync("DuplicateRequest", duplicates + 1));
    }

    [Fact]
    public async Task Transfer_Window16WithBlockLost_ResumesAfterLastAckedBlock()
    {
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(server.EndPoint, LoopbackCorpus.Small);
        FetchResult result = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            return client.Fetch(
                LoopbackCorpus.Window, [("blksize", "512"), ("windowsize", "16")], lose: index => index == 24);
        });

        Assert.Equal("16", result.OptionAck!["windowsize"]);
        Assert.Equal([24L], result.Lost);

        // Window 17..32 arrives whole but 24 is lost; the client ACKs 23; the server resends from 24. (Should its
        // timer run out before that ACK arrives, on a busy machine, 17..32 comes once more before 24..39.)
        int lost = result.WireLog.IndexOf(24);
        Assert.Equal(Enumerable.Range(17, 16), result.WireLog.Skip(lost - 7).Take(16).Select(block => (int)block));
        int[] after = result.WireLog.Skip(lost + 9).Select(block => (int)block).ToArray();
        int[] resume = Enumerable.Range(24, 16).ToArray();
        Assert.True(
            Enumerable.Range(0, after.Length).Any(i => after.Skip(i).Take(resume.Length).SequenceEqual(resume)),
            string.Join(' ', result.WireLog));
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), result.Sha256);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Small), (await normal).Sha256);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData(null, 0)]
    public async Task Transfer_PastBlock65535_WrapsToRolloverValue(string? rollover, int expectedAfter65535)
    {
        (string Name, string Value)[] options = rollover is null
            ? [("blksize", "8"), ("windowsize", "32")]
            : [("blksize", "8"), ("windowsize", "32"), ("rollover", rollover)];
        FetchResult result = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            return client.Fetch(LoopbackCorpus.Rollover, options);
        });

        // 600,000 octets in blocks of 8: 75,000 full blocks and an empty 75,001st.
        Assert.Equal(75_001, result.Blocks);
        Assert.Equal(rollover, result.OptionAck!.GetValueOrDefault("rollover"));
        int wrap = result.WireLog.IndexOf(ushort.MaxValue);
        Assert.Equal(expectedAfter65535, result.WireLog[wrap + 1]);
        // Block number 0 is the OACK's ACK: with rollover 1 no DATA carries it; without, the wrap does.
        Assert.Equal(expectedAfter65535 == 0, result.WireLog.Contains((ushort)0));
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Rollover), result.Sha256);
    }
}
