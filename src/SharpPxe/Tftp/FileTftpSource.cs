using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace SharpPxe.Tftp;

/// <summary>
/// A large file read in place with <see cref="RandomAccess"/> through the transfer's own handle, a chunk at a
/// time: blocks go out in order, so one read of <see cref="ChunkSize"/> octets serves many blocks (one system
/// call per 64 KiB rather than one per block). The length is the one seen at open; if the file shrinks later,
/// reads end early.
/// </summary>
internal sealed class FileTftpSource : ITftpSource
{
    /// <summary>Octets read at once; at least the largest block (65,464).</summary>
    internal const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private byte[]? _chunk;
    private long _chunkOffset;
    private int _chunkLength;

    public FileTftpSource(SafeFileHandle handle, long length)
    {
        _handle = handle;
        Length = length;
    }

    public long Length { get; }

    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int wanted = (int)Math.Min(destination.Length, Math.Max(0, Length - offset));
        if (wanted > ChunkSize)
        {
            return FileCache.ReadFully(_handle, offset, destination[..wanted]);
        }

        ReadOnlySpan<byte> data = Chunk(offset, wanted);
        data.CopyTo(destination);
        return data.Length;
    }

    public bool TryPeek(long offset, int count, out ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int wanted = (int)Math.Min(count, Math.Max(0, Length - offset));
        if (wanted > ChunkSize)
        {
            data = default;
            return false;
        }

        data = Chunk(offset, wanted);
        return true;
    }

    /// <summary>The chunk's view of <paramref name="count"/> octets from <paramref name="offset"/>.</summary>
    private ReadOnlySpan<byte> Chunk(long offset, int count)
    {
        if (count == 0)
        {
            return [];
        }

        if (_chunk is null || offset < _chunkOffset || offset + count > _chunkOffset + _chunkLength)
        {
            // A block outside the chunk (the next one, or a window sent again): read the chunk starting there.
            _chunk ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
            _chunkOffset = offset;
            _chunkLength = FileCache.ReadFully(
                _handle, offset, _chunk.AsSpan(0, (int)Math.Min(ChunkSize, Length - offset)));
        }

        int available = (int)Math.Max(0, Math.Min(count, _chunkOffset + _chunkLength - offset));
        return _chunk.AsSpan((int)(offset - _chunkOffset), available);
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
        }
    }
}
