using Microsoft.Win32.SafeHandles;

namespace SharpPxe.Tftp;

/// <summary>
/// A file too large to keep in memory, sent in netascii. The encoding has no state (<see cref="NetAscii"/>),
/// so the file is cut into chunks of <see cref="ChunkSize"/> octets that encode on their own; a first pass at
/// open counts the encoded length and records where each chunk starts in the encoded stream, and a read
/// encodes only the chunk it needs (the last one is kept, so block after block costs one encode per chunk).
/// </summary>
internal sealed class NetAsciiFileTftpSource : ITftpSource
{
    public const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly long[] _encodedStarts;
    private readonly int _chunkCount;
    private readonly Lock _gate = new();
    private readonly byte[] _raw = new byte[ChunkSize];
    private readonly byte[] _encoded = new byte[2 * ChunkSize];
    private int _loadedChunk = -1;
    private int _loadedLength;

    private NetAsciiFileTftpSource(SafeFileHandle handle, long[] encodedStarts, int chunkCount)
    {
        _handle = handle;
        _encodedStarts = encodedStarts;
        _chunkCount = chunkCount;
        Length = encodedStarts[chunkCount];
    }

    public long Length { get; }

    /// <summary>Counts the encoded length of the file behind <paramref name="handle"/> (one full read).</summary>
    public static NetAsciiFileTftpSource Create(SafeFileHandle handle, long length)
    {
        int chunkCount = checked((int)((length + ChunkSize - 1) / ChunkSize));
        var starts = new long[chunkCount + 1];
        byte[] raw = new byte[ChunkSize];
        for (int chunk = 0; chunk < chunkCount; chunk++)
        {
            int read = FileCache.ReadFully(handle, (long)chunk * ChunkSize, raw);
            starts[chunk + 1] = starts[chunk] + NetAscii.EncodedLength(raw.AsSpan(0, read));
            if (read < ChunkSize)
            {
                // The file ended early (it shrank since its length was taken): stop here.
                chunkCount = chunk + 1;
                break;
            }
        }

        return new NetAsciiFileTftpSource(handle, starts, chunkCount);
    }

    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate)
        {
            int total = 0;
            while (total < destination.Length && offset < Length)
            {
                int chunk = Array.BinarySearch(_encodedStarts, 0, _chunkCount, offset);
                chunk = chunk >= 0 ? chunk : ~chunk - 1;
                Load(chunk);
                int within = (int)(offset - _encodedStarts[chunk]);
                int count = Math.Min(_loadedLength - within, destination.Length - total);
                if (count <= 0)
                {
                    break;
                }

                _encoded.AsSpan(within, count).CopyTo(destination[total..]);
                total += count;
                offset += count;
            }

            return total;
        }
    }

    public void Dispose() => _handle.Dispose();

    private void Load(int chunk)
    {
        if (_loadedChunk == chunk)
        {
            return;
        }

        int read = FileCache.ReadFully(_handle, (long)chunk * ChunkSize, _raw);
        _loadedLength = NetAscii.Encode(_raw.AsSpan(0, read), _encoded);
        _loadedChunk = chunk;
    }
}
