using SharpPxe.Tftp;

namespace SharpPxe.Tests.Tftp;

public sealed class FileCacheTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_temp.Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Random(int length, int seed)
    {
        byte[] content = new byte[length];
        new Random(seed).NextBytes(content);
        return content;
    }

    /// <summary>Reads a whole source in blocks of <paramref name="blockSize"/>, as a transfer does.</summary>
    private static byte[] ReadAll(ITftpSource source, int blockSize)
    {
        var output = new MemoryStream();
        byte[] block = new byte[blockSize];
        for (long offset = 0; ; offset += blockSize)
        {
            int read = source.Read(offset, block);
            output.Write(block, 0, read);
            if (read < blockSize)
            {
                return output.ToArray();
            }
        }
    }

    [Fact]
    public void Open_SmallFileTwice_SharesOneBuffer()
    {
        string path = Write("kernel", Random(5000, 1));
        var cache = new FileCache();

        using ITftpSource first = cache.Open(path, TftpMode.Octet);
        using ITftpSource second = cache.Open(path, TftpMode.Octet);

        Assert.Same(Assert.IsType<MemoryTftpSource>(first).Content, Assert.IsType<MemoryTftpSource>(second).Content);
        Assert.Equal(5000, cache.CachedBytes);
    }

    [Fact]
    public void Open_ConcurrentOpens_AllShareOneBuffer()
    {
        string path = Write("initrd", Random(200_000, 2));
        var cache = new FileCache();

        ITftpSource[] sources = new ITftpSource[16];
        Parallel.For(0, sources.Length, i => sources[i] = cache.Open(path, TftpMode.Octet));

        byte[] shared = Assert.IsType<MemoryTftpSource>(sources[0]).Content;
        Assert.All(sources, s => Assert.Same(shared, Assert.IsType<MemoryTftpSource>(s).Content));
        Assert.Equal(200_000, cache.CachedBytes);
    }

    [Fact]
    public void Read_MemorySource_ReturnsBytesAtOffsetsAndShortAtEnd()
    {
        byte[] content = Random(1300, 3);
        using ITftpSource source = new FileCache().Open(Write("f", content), TftpMode.Octet);
        byte[] block = new byte[512];

        Assert.Equal(1300, source.Length);
        Assert.Equal(512, source.Read(512, block));
        Assert.Equal(content.AsSpan(512, 512).ToArray(), block);
        Assert.Equal(276, source.Read(1024, block));
        Assert.Equal(content.AsSpan(1024, 276).ToArray(), block.AsSpan(0, 276).ToArray());
        Assert.Equal(0, source.Read(1300, block));
        Assert.Equal(0, source.Read(5000, block));
    }

    [Fact]
    public void Open_ChangedFile_ReadAgainOldSourceKeepsOldBytes()
    {
        string path = Write("menu", "first"u8.ToArray());
        var cache = new FileCache();
        using ITftpSource before = cache.Open(path, TftpMode.Octet);

        File.WriteAllBytes(path, "second!"u8.ToArray());
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        using ITftpSource after = cache.Open(path, TftpMode.Octet);

        Assert.Equal("first"u8.ToArray(), ReadAll(before, 512));
        Assert.Equal("second!"u8.ToArray(), ReadAll(after, 512));
        Assert.Equal(7, cache.CachedBytes);
    }

    [Fact]
    public void Open_SameLengthNewWriteTime_ReadAgain()
    {
        string path = Write("menu", "aaaa"u8.ToArray());
        var cache = new FileCache();
        using ITftpSource before = cache.Open(path, TftpMode.Octet);

        File.WriteAllBytes(path, "bbbb"u8.ToArray());
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        using ITftpSource after = cache.Open(path, TftpMode.Octet);

        Assert.Equal("bbbb"u8.ToArray(), ReadAll(after, 512));
    }

    [Fact]
    public void Open_LargeFile_ReadInPlaceAtOffsets()
    {
        byte[] content = Random(10_000, 4);
        var cache = new FileCache(maxCachedBytes: 100_000, maxFileBytes: 1000);
        using ITftpSource source = cache.Open(Write("big", content), TftpMode.Octet);
        byte[] block = new byte[1468];

        Assert.IsType<FileTftpSource>(source);
        Assert.Equal(10_000, source.Length);
        Assert.Equal(1468, source.Read(1468 * 3, block));
        Assert.Equal(content.AsSpan(1468 * 3, 1468).ToArray(), block);
        Assert.Equal(10_000 - (1468 * 6), source.Read(1468 * 6, block));
        Assert.Equal(content.AsSpan(1468 * 6).ToArray(), block.AsSpan(0, 10_000 - (1468 * 6)).ToArray());
        Assert.Equal(0, source.Read(10_000, block));
        Assert.Equal(content, ReadAll(source, 512));
        Assert.Equal(0, cache.CachedBytes);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1468)]
    [InlineData(8192)]
    [InlineData(65464)]
    public void Open_LargeFile_BlocksAcrossChunks_ForwardThenBackAgain(int blockSize)
    {
        // Blocks that straddle the 64 KiB read-ahead chunk, then a window sent again from an earlier block.
        byte[] content = Random((3 * FileTftpSource.ChunkSize) + 1001, 6);
        var cache = new FileCache(maxCachedBytes: 0, maxFileBytes: 0);
        using ITftpSource source = cache.Open(Write("chunks", content), TftpMode.Octet);
        byte[] block = new byte[blockSize];
        var sent = new List<byte>();
        for (long offset = 0; offset < content.Length; offset += blockSize)
        {
            int read = source.Read(offset, block);
            Assert.Equal((int)Math.Min(blockSize, content.Length - offset), read);
            sent.AddRange(block.AsSpan(0, read).ToArray());
        }

        Assert.Equal(content, sent.ToArray());
        long back = blockSize;
        Assert.Equal(blockSize, source.Read(back, block));
        Assert.Equal(content.AsSpan((int)back, blockSize).ToArray(), block);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TryPeek_CachedOrReadInChunks_LendsTheFilesBytes(bool cached)
    {
        byte[] content = Random((2 * FileTftpSource.ChunkSize) + 300, 7);
        var cache = new FileCache(maxCachedBytes: 1_000_000, maxFileBytes: cached ? 1_000_000 : 0);
        using ITftpSource source = cache.Open(Write($"peek-{cached}", content), TftpMode.Octet);
        Assert.Equal(cached, source is MemoryTftpSource);

        foreach (long offset in new long[] { 0, FileTftpSource.ChunkSize - 10, 3, content.Length - 100 })
        {
            Assert.True(source.TryPeek(offset, 1468, out ReadOnlySpan<byte> data));
            int expected = (int)Math.Min(1468, content.Length - offset);
            Assert.Equal(content.AsSpan((int)offset, expected).ToArray(), data.ToArray());
        }

        Assert.True(source.TryPeek(content.Length, 512, out ReadOnlySpan<byte> past));
        Assert.True(past.IsEmpty);
    }

    [Fact]
    public void Open_NetAscii_EncodedAndCachedApartFromOctet()
    {
        byte[] content = "line1\nline2\r\n"u8.ToArray();
        string path = Write("default", content);
        var cache = new FileCache();

        using ITftpSource text = cache.Open(path, TftpMode.NetAscii);
        using ITftpSource again = cache.Open(path, TftpMode.NetAscii);
        using ITftpSource octet = cache.Open(path, TftpMode.Octet);

        Assert.Equal("line1\r\nline2\r\0\r\n"u8.ToArray(), ReadAll(text, 512));
        Assert.Same(Assert.IsType<MemoryTftpSource>(text).Content, Assert.IsType<MemoryTftpSource>(again).Content);
        Assert.Equal(content, ReadAll(octet, 512));
        Assert.Equal(16 + 13, cache.CachedBytes);
    }

    [Fact]
    public void Open_LargeNetAscii_StreamsSameBytesAsEncode()
    {
        // Newlines on both sides of every 64 KiB chunk boundary, and random bytes in between.
        byte[] content = Random(3 * NetAsciiFileTftpSource.ChunkSize + 777, 5);
        for (int i = 0; i < content.Length; i += 97)
        {
            content[i] = (byte)'\n';
        }

        content[NetAsciiFileTftpSource.ChunkSize - 1] = (byte)'\r';
        content[NetAsciiFileTftpSource.ChunkSize] = (byte)'\n';
        byte[] expected = NetAscii.Encode(content);
        var cache = new FileCache(maxCachedBytes: 1000, maxFileBytes: 1000);

        using ITftpSource source = cache.Open(Write("big.txt", content), TftpMode.NetAscii);

        Assert.IsType<NetAsciiFileTftpSource>(source);
        Assert.Equal(expected.Length, source.Length);
        Assert.Equal(expected, ReadAll(source, 1468));
        byte[] block = new byte[512];
        foreach (long offset in new long[] { 200_000, 65_000, 0, expected.Length - 100 })
        {
            int read = source.Read(offset, block);
            Assert.Equal((int)Math.Min(512, expected.Length - offset), read);
            Assert.Equal(expected.AsSpan((int)offset, read).ToArray(), block.AsSpan(0, read).ToArray());
        }
    }

    [Fact]
    public void Open_BeyondTotalLimit_EvictsLeastRecentKeepsHeldBuffersValid()
    {
        byte[] a = Random(100, 6);
        string pathA = Write("a", a);
        string pathB = Write("b", Random(100, 7));
        string pathC = Write("c", Random(100, 8));
        var cache = new FileCache(maxCachedBytes: 250, maxFileBytes: 200);

        using ITftpSource heldA = cache.Open(pathA, TftpMode.Octet);
        using ITftpSource b = cache.Open(pathB, TftpMode.Octet);
        using ITftpSource c = cache.Open(pathC, TftpMode.Octet);
        using ITftpSource b2 = cache.Open(pathB, TftpMode.Octet);
        using ITftpSource a2 = cache.Open(pathA, TftpMode.Octet);

        Assert.Equal(a, ReadAll(heldA, 512));
        Assert.NotSame(Assert.IsType<MemoryTftpSource>(heldA).Content, Assert.IsType<MemoryTftpSource>(a2).Content);
        Assert.Same(Assert.IsType<MemoryTftpSource>(b).Content, Assert.IsType<MemoryTftpSource>(b2).Content);
        Assert.Equal(200, cache.CachedBytes);
    }

    [Fact]
    public void Open_EmptyFile_LengthZero()
    {
        using ITftpSource source = new FileCache().Open(Write("empty", []), TftpMode.Octet);

        Assert.Equal(0, source.Length);
        Assert.Equal(0, source.Read(0, new byte[512]));
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(
            () => new FileCache().Open(Path.Combine(_temp.Path, "missing"), TftpMode.Octet));
    }

    [Fact]
    public void Open_Directory_ThrowsUnauthorizedAccess()
    {
        Assert.Throws<UnauthorizedAccessException>(() => new FileCache().Open(_temp.Path, TftpMode.Octet));
    }
}
