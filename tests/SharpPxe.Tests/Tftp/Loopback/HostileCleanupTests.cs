using System.Net;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// No transfer outlives its retries: clients that vanish mid-transfer, abort after the OACK or never ACK
/// at all, all at once, while a normal fetch runs; afterwards the open-transfers gauge is back to 0.
/// </summary>
public sealed class HostileCleanupTests(LoopbackServerFixture server) : IClassFixture<LoopbackServerFixture>
{
    private const int VanishingClients = 8;

    [Fact]
    public async Task HostileClients_AfterRetryBudget_NoTransferLeftOpen()
    {
        long timedOutBefore = server.Counters.DroppedFor("TransferTimedOut");
        long goneBefore = server.Counters.DroppedFor("TransferClientGone");
        var hostile = new List<Task>();
        for (int i = 0; i < VanishingClients; i++)
        {
            int after = i;
            hostile.Add(ClientThread.Run(() => VanishAfterBlocks(server.EndPoint, after)));
        }

        hostile.Add(ClientThread.Run(() => VanishAfterOptionAck(server.EndPoint)));
        hostile.Add(ClientThread.Run(() => VanishMidWindow(server.EndPoint)));
        hostile.Add(ClientThread.Run(() => ErrorAfterOptionAck(server.EndPoint)));
        Task<List<WirePacket>> silent = ClientThread.Run(() => NeverAck(server.EndPoint));
        Task<FetchResult> normal = ScriptedTftpClient.FetchInBackground(
            server.EndPoint, LoopbackCorpus.Window, ("blksize", "1024"), ("windowsize", "8"));

        await Task.WhenAll(hostile);
        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.Window), (await normal).Sha256);

        // The client that stays but never ACKs sees DATA 1, then its retransmissions, then ERROR 0.
        List<WirePacket> seen = await silent;
        Assert.All(seen.SkipLast(1), packet => Assert.True(packet.IsData && packet.Number == 1, packet.ToString()));
        Assert.Equal(1 + LoopbackServerFixture.Retries, seen.Count - 1);
        Assert.True(seen[^1].IsError && seen[^1].Number == 0, seen[^1].ToString());

        Assert.Equal(0, await server.WaitForNoOpenTransfersAsync(LoopbackServerFixture.RetryBudget));

        // The clients that closed their sockets are noticed at the first retransmission (ICMP port unreachable);
        // only the one that stays and never ACKs runs out of retries.
        long gone = goneBefore + VanishingClients + 2;
        Assert.Equal(gone, await server.WaitForDropsAsync("TransferClientGone", gone));
        Assert.Equal(timedOutBefore + 1, await server.WaitForDropsAsync("TransferTimedOut", timedOutBefore + 1));
    }

    /// <summary>Lock-step; ACKs <paramref name="blocks"/> blocks, then closes its socket.</summary>
    private static void VanishAfterBlocks(IPEndPoint endPoint, int blocks)
    {
        using var client = new ScriptedTftpClient(endPoint);
        client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.OneMebibyte));
        for (ushort block = 1; block <= blocks + 1; block++)
        {
            WirePacket packet = client.ExpectData(block);
            Assert.True(packet.IsData && packet.Number == block, packet.ToString());
            client.Peer = packet.From;
            if (block <= blocks)
            {
                client.SendToPeer(TftpWire.AckOf(block));
            }
        }
    }

    private static void VanishAfterOptionAck(IPEndPoint endPoint)
    {
        using var client = new ScriptedTftpClient(endPoint);
        client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.OneMebibyte, ("blksize", "1024"), ("tsize", "0")));
        Assert.True(client.Expect("OACK").IsOptionAck);
    }

    private static void VanishMidWindow(IPEndPoint endPoint)
    {
        using var client = new ScriptedTftpClient(endPoint);
        client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.OneMebibyte, ("windowsize", "16")));
        WirePacket oack = client.Expect("OACK");
        Assert.True(oack.IsOptionAck, oack.ToString());
        client.Peer = oack.From;
        client.SendToPeer(TftpWire.AckOf(0));
        for (ushort block = 1; block <= 16; block++)
        {
            WirePacket packet = client.ExpectData(block);
            Assert.True(packet.IsData && packet.Number == block, packet.ToString());
        }

        client.SendToPeer(TftpWire.AckOf(16));
        WirePacket next = client.ExpectData(17);
        Assert.True(next.IsData && next.Number == 17, next.ToString());
    }

    private static void ErrorAfterOptionAck(IPEndPoint endPoint)
    {
        using var client = new ScriptedTftpClient(endPoint);
        client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.FortyMebibytes, ("tsize", "0")));
        WirePacket oack = client.Expect("OACK");
        Assert.True(oack.IsOptionAck, oack.ToString());
        client.SendTo(TftpWire.ErrorOf(8, "tsize only"), oack.From);
    }

    /// <summary>Stays, never ACKs, and records what comes until the server gives up (or the budget is spent).</summary>
    private static List<WirePacket> NeverAck(IPEndPoint endPoint)
    {
        using var client = new ScriptedTftpClient(endPoint);
        client.SendToServer(TftpWire.ReadRequestFor(LoopbackCorpus.Small));
        var seen = new List<WirePacket>();
        DateTime end = DateTime.UtcNow + LoopbackServerFixture.RetryBudget;
        while (DateTime.UtcNow < end && client.Receive(end - DateTime.UtcNow) is { } packet)
        {
            seen.Add(packet);
            if (packet.IsError)
            {
                break;
            }
        }

        return seen;
    }
}
