using Xunit.Abstractions;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// What the real-client tests share: a server of their own, a scratch directory for the client's output,
/// and the check that what arrived is byte for byte what is served.
/// </summary>
public abstract class RealClientTestBase : IClassFixture<LoopbackServerFixture>, IDisposable
{
    /// <summary>Far above any fetch here (40 MiB at blksize 512 takes a few seconds).</summary>
    protected static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("sharppxe-client-");

    protected RealClientTestBase(LoopbackServerFixture server, ITestOutputHelper output)
    {
        Server = server;
        Output = output;
    }

    protected LoopbackServerFixture Server { get; }

    protected ITestOutputHelper Output { get; }

    protected string Scratch => _scratch.FullName;

    protected string Port => Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _scratch.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs the client, then checks its exit, that it wrote the file and that the SHA-256 matches.</summary>
    protected async Task FetchAndCompareAsync(string tool, string file, IEnumerable<string> args, string local)
    {
        ClientResult result = await ClientTools.RunAsync(tool, args, Scratch, ClientLimit);
        Output.WriteLine($"{tool} {file}: {result.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(result.ExitCode == 0, $"{tool}: {result}");
        Assert.DoesNotContain("rror", result.Output + result.Error, StringComparison.Ordinal);
        string path = Path.Combine(Scratch, local);
        Assert.True(File.Exists(path), $"{tool} wrote no {local}: {result}");
        Assert.Equal(LoopbackCorpus.Sha256Of(file), LoopbackCorpus.Sha256OfFile(path));
    }
}

/// <summary>curl's TFTP client (tftp:// URLs) with --tftp-blksize.</summary>
public sealed class CurlLoopbackTests(LoopbackServerFixture server, ITestOutputHelper output)
    : RealClientTestBase(server, output)
{
    [ClientTheory(ClientTools.Curl)]
    [InlineData(LoopbackCorpus.Empty, 512)]
    [InlineData(LoopbackCorpus.OneBlock, 512)]
    [InlineData(LoopbackCorpus.TwoBlocks, 1024)]
    [InlineData(LoopbackCorpus.TwoBlocks, 8)]
    [InlineData(LoopbackCorpus.OneMebibyte, 1468)]
    [InlineData(LoopbackCorpus.OneMebibyte, 65464)]
    [InlineData(LoopbackCorpus.FortyMebibytes, 512)]
    public async Task Fetch_WithBlockSize_MatchesSource(string file, int blockSize)
    {
        string[] args =
        [
            "--silent", "--show-error", "--max-time", "60",
            "--tftp-blksize", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--output", "out.bin", $"tftp://127.0.0.1:{Port}/{file}",
        ];
        await FetchAndCompareAsync(ClientTools.Curl, file, args, "out.bin");
    }
}

/// <summary>atftp with the blksize, tsize and windowsize options.</summary>
public sealed class AtftpLoopbackTests(LoopbackServerFixture server, ITestOutputHelper output)
    : RealClientTestBase(server, output)
{
    [ClientTheory(ClientTools.Atftp)]
    [InlineData(LoopbackCorpus.Empty, 512, 1)]
    [InlineData(LoopbackCorpus.OneBlock, 512, 4)]
    [InlineData(LoopbackCorpus.TwoBlocks, 512, 2)]
    [InlineData(LoopbackCorpus.TwoBlocks, 1024, 1)]
    [InlineData(LoopbackCorpus.OneMebibyte, 1468, 8)]
    [InlineData(LoopbackCorpus.OneMebibyte, 8192, 16)]
    [InlineData(LoopbackCorpus.FortyMebibytes, 512, 16)]
    public async Task Fetch_WithBlockSizeTsizeAndWindow_MatchesSource(string file, int blockSize, int windowSize)
    {
        string[] args =
        [
            "--option", $"blksize {blockSize}", "--option", "tsize 0", "--option", $"windowsize {windowSize}",
            "-g", "-r", file, "-l", "out.bin", "127.0.0.1", Port,
        ];
        await FetchAndCompareAsync(ClientTools.Atftp, file, args, "out.bin");
    }
}

/// <summary>tftp-hpa's client: octet ("binary") for byte-exact files, and one netascii round trip.</summary>
public sealed class TftpHpaLoopbackTests(LoopbackServerFixture server, ITestOutputHelper output)
    : RealClientTestBase(server, output)
{
    [ClientTheory(ClientTools.TftpHpa)]
    [InlineData(LoopbackCorpus.Empty)]
    [InlineData(LoopbackCorpus.OneBlock)]
    [InlineData(LoopbackCorpus.TwoBlocks)]
    [InlineData(LoopbackCorpus.OneMebibyte)]
    [InlineData(LoopbackCorpus.FortyMebibytes)]
    public async Task Fetch_BinaryMode_MatchesSource(string file)
    {
        // tftp-hpa exits 0 even after an ERROR, so the base class also looks for "Error" in its output.
        string[] args = ["127.0.0.1", Port, "-m", "binary", "-c", "get", file, "out.bin"];
        await FetchAndCompareAsync(ClientTools.TftpHpa, file, args, "out.bin");
    }

    [ClientFact(ClientTools.TftpHpa)]
    public async Task Fetch_NetasciiMode_DecodesToSource()
    {
        // The server encodes LF as CR LF and CR as CR NUL; the client decodes them back to the source bytes.
        string[] args = ["127.0.0.1", Port, "-m", "netascii", "-c", "get", LoopbackCorpus.Text, "out.txt"];
        await FetchAndCompareAsync(ClientTools.TftpHpa, LoopbackCorpus.Text, args, "out.txt");
    }
}
