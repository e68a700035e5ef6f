using Microsoft.Win32.SafeHandles;

namespace SharpPxe.Tftp;

/// <summary>
/// Opens files for transfers. Files up to the per-file limit are read once into memory and the same array
/// serves every transfer of them (a boot storm of 100 clients reads a kernel once); bigger files are read
/// in place per transfer. Thread-safe.
/// </summary>
/// <remarks>
/// An entry is keyed by path and mode and is valid for one length and last-write time: a file that has
/// changed is read again on its next open. Beyond the total limit the least recently opened entries are
/// dropped; transfers that hold one keep their array. netascii files are cached in their encoded form.
/// </remarks>
public sealed class FileCache
{
    /// <summary>The default total of cached octets, 256 MiB.</summary>
    public const long DefaultMaxCachedBytes = 256L * 1024 * 1024;

    /// <summary>The default largest file kept in memory, 64 MiB.</summary>
    public const long DefaultMaxFileBytes = 64L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Path, TftpMode Mode), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new();
    private long _cachedBytes;

    public FileCache(long maxCachedBytes = DefaultMaxCachedBytes, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCachedBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFileBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFileBytes, (long)Array.MaxLength);
        MaxCachedBytes = maxCachedBytes;
        MaxFileBytes = maxFileBytes;
    }

    /// <summary>The most octets kept in memory across all files.</summary>
    public long MaxCachedBytes { get; }

    /// <summary>The largest file kept in memory; bigger ones are read per transfer.</summary>
    public long MaxFileBytes { get; }

    /// <summary>The octets now cached.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _cachedBytes;
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="fullPath"/> (a path from <see cref="NetbootFiles.Resolve"/>) for one transfer in
    /// <paramref name="mode"/> (<see cref="TftpMode.Mail"/> is encoded like netascii). The caller disposes the
    /// source when the transfer ends.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is gone.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read (or is a directory).</exception>
    /// <exception cref="IOException">Any other failure to open or read it.</exception>
    public ITftpSource Open(string fullPath, TftpMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullPath);
        SafeFileHandle handle = File.OpenHandle(
            fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        bool handedOver = false;
        try
        {
            long length = RandomAccess.GetLength(handle);
            if (length > MaxFileBytes)
            {
                // Too big to cache: the source owns the handle from here on.
                ITftpSource large = mode == TftpMode.Octet
                    ? new FileTftpSource(handle, length)
                    : NetAsciiFileTftpSource.Create(handle, length);
                handedOver = true;
                return large;
            }

            DateTime lastWrite = File.GetLastWriteTimeUtc(handle);
            return new MemoryTftpSource(GetOrLoad(fullPath, mode, length, lastWrite, handle));
        }
        finally
        {
            if (!handedOver)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>Reads until <paramref name="destination"/> is full or the file ends; returns the octets read.</summary>
    internal static int ReadFully(SafeFileHandle handle, long offset, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private byte[] GetOrLoad(string path, TftpMode mode, long length, DateTime lastWrite, SafeFileHandle handle)
    {
        TftpMode encoding = mode == TftpMode.Octet ? TftpMode.Octet : TftpMode.NetAscii;
        var key = (path, encoding);
        Entry entry;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node)
                && node.Value.Length == length && node.Value.LastWrite == lastWrite)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                if (node is not null)
                {
                    Remove(node);
                }

                // The first opener's handle reads the file; it stays open until its own Open has the
                // content, so it is alive whichever thread runs the load.
                entry = new Entry(key, length, lastWrite, () => Load(handle, length, encoding));
                _entries.Add(key, _recent.AddFirst(entry));
            }
        }

        byte[] content;
        try
        {
            content = entry.Content.Value;
        }
        catch
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out LinkedListNode<Entry>? failed) && failed.Value == entry)
                {
                    Remove(failed);
                }
            }

            throw;
        }

        lock (_gate)
        {
            if (!entry.Counted && _entries.TryGetValue(key, out LinkedListNode<Entry>? loaded) && loaded.Value == entry)
            {
                entry.Counted = true;
                _cachedBytes += content.Length;
                Evict();
            }
        }

        return content;
    }

    private static byte[] Load(SafeFileHandle handle, long length, TftpMode mode)
    {
        byte[] raw = GC.AllocateUninitializedArray<byte>((int)length);
        if (ReadFully(handle, 0, raw) != length)
        {
            throw new IOException("The file became shorter while it was read.");
        }

        return mode == TftpMode.Octet ? raw : NetAscii.Encode(raw);
    }

    private void Evict()
    {
        LinkedListNode<Entry>? node = _recent.Last;
        while (_cachedBytes > MaxCachedBytes && node is not null)
        {
            LinkedListNode<Entry>? previous = node.Previous;
            if (node.Value.Counted)
            {
                Remove(node);
            }

            node = previous;
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recent.Remove(node);
        _entries.Remove(node.Value.Key);
        if (node.Value.Counted)
        {
            _cachedBytes -= node.Value.Content.Value.Length;
        }
    }

    private sealed class Entry((string Path, TftpMode Mode) key, long length, DateTime lastWrite, Func<byte[]> load)
    {
        public (string Path, TftpMode Mode) Key { get; } = key;

        public long Length { get; } = length;

        public DateTime LastWrite { get; } = lastWrite;

        public Lazy<byte[]> Content { get; } = new(load, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>Loaded and added to the cached total (under the cache's lock).</summary>
        public bool Counted { get; set; }
    }
}
