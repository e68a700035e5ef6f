using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpPxe.Boot;
using SharpPxe.Diagnostics;
using SharpPxe.Http;

namespace SharpPxe.Tests.Http;

/// <summary>
/// Issue 5's HTTP acceptance with curl as the client, against <see cref="HttpServerFixture"/>: whole files,
/// HEAD, byte ranges, keep-alive, conditional requests, query strings, percent-decoding, missing files,
/// refusal of every way out of the root, and iPXE templates rendered for the machine that asks.
/// </summary>
public sealed class HttpCurlTests : IClassFixture<HttpServerFixture>, IDisposable
{
    private const string LastModified = "Tue, 02 Jan 2024 03:04:05 GMT";
    private const string WriteOut = "%{http_code} %{num_connects}\n";

    private readonly HttpServerFixture _server;
    private readonly TempDir _scratch = new();
    private int _runs;

    public HttpCurlTests(HttpServerFixture server)
    {
        _server = server;
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task LocalEndPoint_PortZero_IsLoopbackWithTheAssignedPort()
    {
        IPEndPoint endPoint = _server.EndPoint;

        Assert.Equal(IPAddress.Loopback, endPoint.Address);
        Assert.InRange(endPoint.Port, 1, 65535);
        using var client = new TcpClient();
        using var limit = new CancellationTokenSource(CurlClient.Limit);
        await client.ConnectAsync(endPoint, limit.Token);
        Assert.True(client.Connected);
    }

    [CurlFact]
    public async Task Post_AnyPath_Gets405WithAllowAndIsCounted()
    {
        ServiceCounters http = _server.Counters.For("http");
        long before = http.DroppedFor("MethodNotAllowed");

        Fetched got = await FetchAsync("/" + HttpServerFixture.TextFile, "--request", "POST", "--data", "x=1");
        Fetched other = await FetchAsync("/anything/else", "--request", "DELETE");

        Assert.Equal(405, got.Response.Status);
        Assert.Equal("GET, HEAD", got.Response["Allow"]);
        Assert.Equal(405, other.Response.Status);
        Assert.Equal(before + 2, http.DroppedFor("MethodNotAllowed"));
    }

    [CurlFact]
    public async Task Get_WholeFileAndRange_BodiesGoOutWithSendfile()
    {
        ServiceCounters http = _server.Counters.For("http");
        long before = http.Gauge(SendfileOutput.SentGauge);

        Fetched whole = await FetchAsync("/" + HttpServerFixture.BigFile);
        long afterWhole = await _server.WaitForGaugeAsync(SendfileOutput.SentGauge, before + HttpServerFixture.BigSize);
        Fetched range = await FetchAsync("/" + HttpServerFixture.BigFile, "-r", "1000-2999");
        long afterRange = await _server.WaitForGaugeAsync(SendfileOutput.SentGauge, afterWhole + 2000);

        Assert.Equal(HttpServerFixture.BigSize, whole.Body.Length);
        Assert.Equal(HttpServerFixture.BigSize, afterWhole - before);
        Assert.Equal(206, range.Response.Status);
        Assert.Equal(_server.Bytes(HttpServerFixture.BigFile).AsSpan(1000, 2000).ToArray(), range.Body);
        Assert.Equal(2000, afterRange - afterWhole);
    }

    [CurlTheory]
    [InlineData(HttpServerFixture.BigFile, "application/octet-stream")]
    [InlineData(HttpServerFixture.TextFile, "text/plain")]
    [InlineData(HttpServerFixture.SubFile, "text/plain")]
    public async Task Get_WholeFile_MatchesSourceWithHeaders(string file, string contentType)
    {
        byte[] source = _server.Bytes(file);

        Fetched got = await FetchAsync("/" + file);

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(HttpServerFixture.Sha256(source), HttpServerFixture.Sha256(got.Body));
        Assert.Equal(Text(source.Length), got.Response["Content-Length"]);
        Assert.Equal(contentType, got.Response["Content-Type"]);
        Assert.Equal(LastModified, got.Response["Last-Modified"]);
        Assert.Equal("bytes", got.Response["Accept-Ranges"]);
        Assert.Matches("^\"[^\"]+\"$", got.Response["ETag"] ?? string.Empty);
    }

    [CurlTheory]
    [InlineData(HttpServerFixture.BigFile, "application/octet-stream")]
    [InlineData(HttpServerFixture.TextFile, "text/plain")]
    public async Task Head_WholeFile_SameHeadersAsGet(string file, string contentType)
    {
        Fetched get = await FetchAsync("/" + file);

        Fetched head = await FetchAsync("/" + file, "--head");

        Assert.Equal(200, head.Response.Status);
        Assert.Equal(Text(_server.Bytes(file).Length), head.Response["Content-Length"]);
        Assert.Equal(contentType, head.Response["Content-Type"]);
        Assert.Equal(LastModified, head.Response["Last-Modified"]);
        Assert.Equal("bytes", head.Response["Accept-Ranges"]);
        Assert.Equal(get.Response["ETag"], head.Response["ETag"]);
    }

    /// <summary>curl never reads a body after HEAD, so whether one is sent is checked on the socket.</summary>
    [Fact]
    public async Task Head_OnTheSocket_SendsNoBody()
    {
        using var client = new TcpClient();
        using var limit = new CancellationTokenSource(CurlClient.Limit);
        await client.ConnectAsync(_server.EndPoint, limit.Token);
        NetworkStream stream = client.GetStream();
        byte[] request = Encoding.ASCII.GetBytes(
            $"HEAD /{HttpServerFixture.BigFile} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request, limit.Token);

        using var received = new MemoryStream();
        await stream.CopyToAsync(received, limit.Token);

        string text = Encoding.ASCII.GetString(received.ToArray());
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, text);
        Assert.StartsWith("HTTP/1.1 200 ", text, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {HttpServerFixture.BigSize}\r\n", text, StringComparison.Ordinal);
        Assert.Equal(string.Empty, text[(end + 4)..]);
    }

    [CurlTheory]
    [InlineData("0-99", 0, 100)]
    [InlineData("1000-1999", 1000, 1000)]
    [InlineData("-100", HttpServerFixture.BigSize - 100, 100)]
    [InlineData("1048000-", 1048000, HttpServerFixture.BigSize - 1048000)]
    [InlineData("1048000-1048575", 1048000, HttpServerFixture.BigSize - 1048000)]
    [InlineData("1048000-9999999", 1048000, HttpServerFixture.BigSize - 1048000)]
    [InlineData("1048575-1048575", 1048575, 1)]
    public async Task Get_Range_Returns206WithThoseBytes(string range, int offset, int length)
    {
        byte[] source = _server.Bytes(HttpServerFixture.BigFile);

        Fetched got = await FetchAsync("/" + HttpServerFixture.BigFile, "--range", range);

        Assert.Equal(206, got.Response.Status);
        Assert.Equal(
            $"bytes {offset}-{offset + length - 1}/{HttpServerFixture.BigSize}", got.Response["Content-Range"]);
        Assert.Equal(Text(length), got.Response["Content-Length"]);
        Assert.Equal(HttpServerFixture.Sha256(source[offset..(offset + length)]), HttpServerFixture.Sha256(got.Body));
    }

    [CurlTheory]
    [InlineData("1048576-")]
    [InlineData("2000000-2000099")]
    public async Task Get_UnsatisfiableRange_Returns416WithSize(string range)
    {
        Fetched got = await FetchAsync("/" + HttpServerFixture.BigFile, "--range", range);

        Assert.Equal(416, got.Response.Status);
        Assert.Equal($"bytes */{HttpServerFixture.BigSize}", got.Response["Content-Range"]);
        Assert.Empty(got.Body);
    }

    [CurlFact]
    public async Task Get_TwoUrlsInOneInvocation_ReuseTheConnection()
    {
        string[] args =
        [
            "--verbose", "--silent", "--show-error", "--http1.1", "--max-time", "15",
            "--dump-header", "two.headers", "--write-out", WriteOut,
            "--output", "first.body", _server.Url("/" + HttpServerFixture.BigFile),
            "--output", "second.body", _server.Url("/" + HttpServerFixture.TextFile),
        ];

        CurlRun run = await CurlClient.RunAsync(args, _scratch.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["200 1", "200 0"], Lines(run.Output));
        Assert.Contains("Re-using existing connection", run.Error, StringComparison.Ordinal);
        IReadOnlyList<CurlResponse> responses = CurlResponse.ParseDump(ReadScratch("two.headers"));
        Assert.Equal([200, 200], responses.Select(response => response.Status));
        Assert.Equal(
            HttpServerFixture.Sha256(_server.Bytes(HttpServerFixture.BigFile)),
            HttpServerFixture.Sha256(File.ReadAllBytes(Path.Combine(_scratch.Path, "first.body"))));
        Assert.Equal(
            HttpServerFixture.Sha256(_server.Bytes(HttpServerFixture.TextFile)),
            HttpServerFixture.Sha256(File.ReadAllBytes(Path.Combine(_scratch.Path, "second.body"))));
    }

    [CurlFact]
    public async Task HeadThenGet_OneConnection_BothAnswered()
    {
        string url = _server.Url("/" + HttpServerFixture.BigFile);
        string[] args =
        [
            "--verbose", "--silent", "--show-error", "--http1.1", "--max-time", "15",
            "--head", "--dump-header", "head.headers", "--output", "head.out", "--write-out", WriteOut, url,
            "--next",
            "--silent", "--show-error", "--http1.1", "--max-time", "15",
            "--dump-header", "get.headers", "--output", "get.body", "--write-out", WriteOut, url,
        ];

        CurlRun run = await CurlClient.RunAsync(args, _scratch.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["200 1", "200 0"], Lines(run.Output));
        Assert.Contains("Re-using existing connection", run.Error, StringComparison.Ordinal);
        CurlResponse head = Assert.Single(CurlResponse.ParseDump(ReadScratch("head.headers")));
        CurlResponse get = Assert.Single(CurlResponse.ParseDump(ReadScratch("get.headers")));
        Assert.Equal(Text(HttpServerFixture.BigSize), head.Headers["Content-Length"]);
        Assert.Equal(200, get.Status);
        Assert.Equal(
            HttpServerFixture.Sha256(_server.Bytes(HttpServerFixture.BigFile)),
            HttpServerFixture.Sha256(File.ReadAllBytes(Path.Combine(_scratch.Path, "get.body"))));
    }

    [CurlFact]
    public async Task Get_IfNoneMatchWithTheEtag_Returns304()
    {
        string path = "/" + HttpServerFixture.BigFile;
        string etag = (await FetchAsync(path, "--head")).Response["ETag"] ?? string.Empty;
        Assert.NotEqual(string.Empty, etag);

        Fetched got = await FetchAsync(path, "--header", "If-None-Match: " + etag);

        Assert.Equal(304, got.Response.Status);
        Assert.Equal(etag, got.Response["ETag"]);
        Assert.Empty(got.Body);
    }

    [CurlFact]
    public async Task Get_IfNoneMatchWithAnotherEtag_Returns200WithTheFile()
    {
        Fetched got = await FetchAsync("/" + HttpServerFixture.TextFile, "--header", "If-None-Match: \"other\"");

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(_server.Bytes(HttpServerFixture.TextFile), got.Body);
    }

    [CurlFact]
    public async Task Get_IfModifiedSinceLastModified_Returns304()
    {
        string path = "/" + HttpServerFixture.BigFile;
        string lastModified = (await FetchAsync(path, "--head")).Response["Last-Modified"] ?? string.Empty;
        Assert.Equal(LastModified, lastModified);

        Fetched got = await FetchAsync(path, "--header", "If-Modified-Since: " + lastModified);

        Assert.Equal(304, got.Response.Status);
        Assert.Empty(got.Body);
    }

    [CurlFact]
    public async Task Get_IfModifiedSinceEarlier_Returns200WithTheFile()
    {
        Fetched got = await FetchAsync(
            "/" + HttpServerFixture.TextFile, "--header", "If-Modified-Since: Tue, 02 Jan 2024 03:04:04 GMT");

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(_server.Bytes(HttpServerFixture.TextFile), got.Body);
    }

    [CurlTheory]
    [InlineData("/big.bin?mac=x")]
    [InlineData("/big.bin?mac=52:54:00:12:34:56&arch=7")]
    [InlineData("/big.bin?")]
    public async Task Get_QueryString_IgnoredForFiles(string path)
    {
        Fetched got = await FetchAsync(path);

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(
            HttpServerFixture.Sha256(_server.Bytes(HttpServerFixture.BigFile)), HttpServerFixture.Sha256(got.Body));
    }

    [CurlTheory]
    [InlineData("/with%20space.txt", HttpServerFixture.SpacedFile)]
    [InlineData("/%72eadme.txt", HttpServerFixture.TextFile)]
    [InlineData("/sub/dir/inner%2Etxt", HttpServerFixture.SubFile)]
    public async Task Get_PercentEncodedName_ServesTheDecodedFile(string path, string file)
    {
        Fetched got = await FetchAsync(path);

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(_server.Bytes(file), got.Body);
    }

    [CurlTheory]
    [InlineData("/no-such-file.bin")]
    [InlineData("/sub/no-such-file.bin")]
    [InlineData("/no-such-dir/file.bin")]
    [InlineData("/with space.txt.bak")]
    [InlineData("/sub")]
    [InlineData("/sub/dir/")]
    public async Task Get_MissingFileOrDirectory_Returns404(string path)
    {
        Fetched got = await FetchAsync(path.Replace(" ", "%20", StringComparison.Ordinal));

        Assert.Equal(404, got.Response.Status);
    }

    [CurlTheory]
    [InlineData("dot-dot")]
    [InlineData("dot-dot-from-subdirectory")]
    [InlineData("encoded-dots")]
    [InlineData("encoded-dots-upper-case")]
    [InlineData("half-encoded-dots")]
    [InlineData("double-encoded-dots")]
    [InlineData("encoded-slashes")]
    [InlineData("encoded-slashes-from-subdirectory")]
    [InlineData("encoded-backslashes")]
    [InlineData("backslashes")]
    [InlineData("absolute")]
    [InlineData("absolute-through-root")]
    [InlineData("absolute-through-root-encoded")]
    [InlineData("symlink")]
    [InlineData("symlink-with-query")]
    [InlineData("symlink-encoded")]
    public async Task Get_EscapeFromRoot_RefusedWithoutTheOutsideFile(string escape)
    {
        string path = EscapePath(escape);

        Fetched got = await FetchAsync(path);

        Assert.True(got.Response.Status is 403 or 404, $"{path}: {got.Response}");
        string body = Encoding.UTF8.GetString(got.Body);
        Assert.DoesNotContain(HttpServerFixture.OutsideMarker, body, StringComparison.Ordinal);
    }

    [CurlTheory]
    [InlineData("/boot.ipxe")]
    [InlineData("/boot.ipxe?mac=ff:ff:ff:ff:ff:ff")]
    public async Task Get_Template_RenderedForTheRecordedMachine(string path)
    {
        Fetched got = await FetchAsync(path);

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(_server.ExpectedRendering(), Encoding.UTF8.GetString(got.Body));
        Assert.Equal("no-store", got.Response["Cache-Control"]);
        Assert.Equal("text/plain; charset=utf-8", got.Response["Content-Type"]);
    }

    [CurlFact]
    public async Task Get_NameOfSystemIpxeInTheRoot_ServesTheRootsCopy()
    {
        Fetched got = await FetchAsync("/" + HttpServerFixture.OwnIpxe);

        Assert.Equal(200, got.Response.Status);
        Assert.Equal(HttpServerFixture.OwnIpxeText, Encoding.UTF8.GetString(got.Body));
    }

    /// <summary>Names the root lacks come from /usr/lib/ipxe when the system has them, else are not found.</summary>
    [CurlTheory]
    [InlineData("undionly.kpxe")]
    [InlineData("undionly.kkpxe")]
    [InlineData("ipxe.efi")]
    [InlineData("snponly.efi")]
    [InlineData("ipxe.lkrn")]
    public async Task Get_NameOfSystemIpxeMissingFromTheRoot_ServesTheSystemsCopy(string name)
    {
        string? system = SystemIpxe.Find(name);

        Fetched got = await FetchAsync("/" + name);

        if (system is null)
        {
            Assert.Equal(404, got.Response.Status);
        }
        else
        {
            Assert.Equal(200, got.Response.Status);
            Assert.Equal(HttpServerFixture.Sha256(File.ReadAllBytes(system)), HttpServerFixture.Sha256(got.Body));
        }
    }

    /// <summary>
    /// Debian's ipxe package installs ipxe.efi and ipxe.lkrn in /usr/lib/ipxe as symbolic links to /boot. The
    /// validators must describe the file served, not the link: the same bytes with the same modification time
    /// served from the root (where links are resolved) must carry the same ETag and Last-Modified.
    /// </summary>
    [CurlFact]
    public async Task Get_SystemIpxeThroughSymlink_ValidatorsDescribeTheTarget()
    {
        string? system = SystemIpxe.Names.Select(name => SystemIpxe.Find(name))
            .OfType<string>()
            .OrderByDescending(path => File.ResolveLinkTarget(path, returnFinalTarget: false) is not null)
            .FirstOrDefault();
        if (system is null)
        {
            Fetched missing = await FetchAsync("/ipxe.efi");
            Assert.Equal(404, missing.Response.Status);
            return;
        }

        string name = Path.GetFileName(system);
        var target = new FileInfo(File.ResolveLinkTarget(system, returnFinalTarget: true)?.FullName ?? system);
        string copy = $"copy-of-{name}";
        File.Copy(target.FullName, Path.Combine(_server.Root, copy), overwrite: true);
        File.SetLastWriteTimeUtc(Path.Combine(_server.Root, copy), target.LastWriteTimeUtc);

        Fetched fromSystem = await FetchAsync("/" + name, "--head");
        Fetched fromRoot = await FetchAsync("/" + copy, "--head");

        Assert.Equal(Text((int)target.Length), fromSystem.Response["Content-Length"]);
        Assert.Equal(fromRoot.Response["Last-Modified"], fromSystem.Response["Last-Modified"]);
        Assert.Equal(fromRoot.Response["ETag"], fromSystem.Response["ETag"]);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string ReadScratch(string name) => File.ReadAllText(Path.Combine(_scratch.Path, name));

    /// <summary>A URL path that tries to reach <see cref="HttpServerFixture.OutsideFile"/> outside the root.</summary>
    private string EscapePath(string escape)
    {
        string outside = Path.GetFileName(_server.Outside);
        string file = HttpServerFixture.OutsideFile;
        string root = _server.Root;
        return escape switch
        {
            "dot-dot" => $"/../{outside}/{file}",
            "dot-dot-from-subdirectory" => $"/sub/dir/../../../{outside}/{file}",
            "encoded-dots" => $"/%2e%2e/{outside}/{file}",
            "encoded-dots-upper-case" => $"/sub/%2E%2E/%2E%2E/{outside}/{file}",
            "half-encoded-dots" => $"/.%2e/{outside}/{file}",
            "double-encoded-dots" => $"/%252e%252e/{outside}/{file}",
            "encoded-slashes" => $"/..%2f{outside}%2f{file}",
            "encoded-slashes-from-subdirectory" => $"/sub%2f..%2f..%2f{outside}%2f{file}",
            "encoded-backslashes" => $"/sub%5c..%5c..%5c{outside}%5c{file}",
            "backslashes" => $"/sub\\..\\..\\{outside}\\{file}",
            "absolute" => $"/{_server.Outside}/{file}",
            "absolute-through-root" => $"/{root}/../{outside}/{file}",
            "absolute-through-root-encoded" => $"/{root}%2f..%2f{outside}%2f{file}",
            "symlink" => "/" + HttpServerFixture.LinkOut,
            "symlink-with-query" => $"/{HttpServerFixture.LinkOut}?mac=x",
            "symlink-encoded" => "/%65scape.txt",
            _ => throw new ArgumentOutOfRangeException(nameof(escape), escape, "no such escape"),
        };
    }

    /// <summary>One GET (or what <paramref name="options"/> make it) of <paramref name="path"/>, as sent.</summary>
    private async Task<Fetched> FetchAsync(string path, params string[] options)
    {
        int run = Interlocked.Increment(ref _runs);
        string headers = $"{run}.headers";
        string body = $"{run}.body";
        string[] args =
        [
            "--silent", "--show-error", "--http1.1", "--path-as-is", "--max-time", "15",
            "--dump-header", headers, "--output", body, "--write-out", WriteOut, .. options, _server.Url(path),
        ];

        CurlRun result = await CurlClient.RunAsync(args, _scratch.Path);

        Assert.True(result.ExitCode == 0, $"{path}: {result}");
        CurlResponse response = Assert.Single(CurlResponse.ParseDump(ReadScratch(headers)));
        string bodyPath = Path.Combine(_scratch.Path, body);
        byte[] received = File.Exists(bodyPath) ? await File.ReadAllBytesAsync(bodyPath) : [];
        return new Fetched(response, received);
    }

    private sealed record Fetched(CurlResponse Response, byte[] Body);
}
