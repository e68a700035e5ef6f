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
        if (offset >= Length)
        {
            return 0;
        }

        int wanted = (int)Math.Min(destination.Length, Length - offset);
        if (wanted > ChunkSize)
        {
            return FileCache.ReadFully(_handle, offset, destination[..wanted]);
        }

        if (offset < _chunkOffset || offset + wanted > _chunkOffset + _chunkLength)
        {
            // A block outside the chunk (the next one, or a window sent again): read the chunk starting there.
            _chunk ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
            _chunkOffset = offset;
            _chunkLength = FileCache.ReadFully(
                _handle, offset, _chunk.AsSpan(0, (int)Math.Min(ChunkSize, Length - offset)));
        }

        int available = (int)Math.Min(wanted, _chunkOffset + _chunkLength - offset);
        _chunk.AsSpan((int)(offset - _chunkOffset), available).CopyTo(destination);
        return available;
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
