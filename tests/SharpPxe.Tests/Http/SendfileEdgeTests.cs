using System.Net.Sockets;
using System.Text;

namespace SharpPxe.Tests.Http;

/// <summary>
/// File bodies sent with sendfile (SendfileOutput) where a plain copy would not notice a difference: a client that
/// reads slowly for longer than Kestrel's grace period, and a file that shrinks while it is being sent.
/// </summary>
public sealed class SendfileEdgeTests : IClassFixture<HttpServerFixture>, IDisposable
{
    private readonly HttpServerFixture _server;
    private readonly TempDir _scratch = new();

    public SendfileEdgeTests(HttpServerFixture server)
    {
        _server = server;
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>
    /// 6 MiB read at 500 KiB/s (about 12 s) lasts well past Kestrel's 5 s grace: the whole file must arrive. (The
    /// curl limit leaves some 7 s for a busy machine to start curl and connect.)
    /// </summary>
    [CurlFact]
    public async Task Get_SlowReaderForLongerThanTheGracePeriod_GetsTheWholeFile()
    {
        byte[] content = HttpServerFixture.MakeBytes(6 << 20, seed: 0x51_0E);
        await File.WriteAllBytesAsync(Path.Combine(_server.Root, "slow.bin"), content);

        CurlRun run = await CurlClient.RunAsync(
            ["--silent", "--show-error", "--limit-rate", "500k", "--max-time", "19", "--output", "slow.out",
                _server.Url("/slow.bin")],
            _scratch.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        byte[] received = await File.ReadAllBytesAsync(Path.Combine(_scratch.Path, "slow.out"));
        Assert.Equal(HttpServerFixture.Sha256(content), HttpServerFixture.Sha256(received));
    }

    /// <summary>
    /// A file cut short while its body is on the way: the connection is closed before Content-Length octets (the
    /// client can tell the response is incomplete), never kept open for the next response; the server goes on.
    /// </summary>
    [Fact]
    public async Task Get_FileShrinksWhileSent_ConnectionClosedShortOfContentLength()
    {
        const int Size = 48 << 20;
        string path = Path.Combine(_server.Root, "shrink.bin");
        await File.WriteAllBytesAsync(path, HttpServerFixture.MakeBytes(Size, seed: 0x5A_12));
        using var client = new TcpClient { ReceiveBufferSize = 64 * 1024 };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(_server.EndPoint, limit.Token);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /shrink.bin HTTP/1.1\r\nHost: test\r\n\r\n"), limit.Token);

        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        bool truncated = false;
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, limit.Token);
            }
            catch (IOException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            total += read;
            if (!truncated && total > (2 << 20))
            {
                using (var shrink = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    shrink.SetLength(1 << 20);
                }

                truncated = true;
            }
        }

        Assert.True(truncated, $"only {total} octets arrived before the connection ended");
        Assert.InRange(total, 2 << 20, Size - 1);

        // The server keeps serving.
        byte[] whole = await new HttpClient().GetByteArrayAsync(_server.Url("/" + HttpServerFixture.BigFile));
        Assert.Equal(HttpServerFixture.BigSize, whole.Length);
    }
}
