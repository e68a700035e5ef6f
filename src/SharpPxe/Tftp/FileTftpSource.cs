using Microsoft.Win32.SafeHandles;

namespace SharpPxe.Tftp;

/// <summary>
/// A large file read in place with <see cref="RandomAccess"/> through the transfer's own handle. The length
/// is the one seen at open; if the file shrinks later, reads end early.
/// </summary>
internal sealed class FileTftpSource : ITftpSource
{
    private readonly SafeFileHandle _handle;

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

        Span<byte> wanted = destination[..(int)Math.Min(destination.Length, Length - offset)];
        return FileCache.ReadFully(_handle, offset, wanted);
    }

    public void Dispose() => _handle.Dispose();
}
