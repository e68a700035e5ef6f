namespace SharpPxe.Tftp;

/// <summary>A source over an array that may be shared by many transfers; it is never written to.</summary>
internal sealed class MemoryTftpSource : ITftpSource
{
    private readonly byte[] _content;

    public MemoryTftpSource(byte[] content)
    {
        _content = content;
    }

    public long Length => _content.Length;

    /// <summary>The shared array (for tests: two opens of one cached file see the same one).</summary>
    internal byte[] Content => _content;

    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= _content.Length)
        {
            return 0;
        }

        ReadOnlySpan<byte> rest = _content.AsSpan((int)offset);
        int count = Math.Min(rest.Length, destination.Length);
        rest[..count].CopyTo(destination);
        return count;
    }

    public bool TryPeek(long offset, int count, out ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int start = (int)Math.Min(offset, _content.Length);
        data = _content.AsSpan(start, Math.Min(count, _content.Length - start));
        return true;
    }

    public void Dispose()
    {
    }
}
