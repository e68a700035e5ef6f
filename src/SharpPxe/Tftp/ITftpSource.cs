namespace SharpPxe.Tftp;

/// <summary>
/// The bytes one transfer sends, from <see cref="FileCache.Open"/>. One instance belongs to one transfer;
/// the memory behind it may be shared with other transfers of the same file.
/// </summary>
public interface ITftpSource : IDisposable
{
    /// <summary>The octets that will be sent (after netascii encoding), fixed when the source was opened.</summary>
    long Length { get; }

    /// <summary>
    /// Copies the octets from <paramref name="offset"/> into <paramref name="destination"/> and returns how
    /// many; fewer than the destination holds only at the end (0 at or past <see cref="Length"/>).
    /// </summary>
    int Read(long offset, Span<byte> destination);

    /// <summary>
    /// The octets from <paramref name="offset"/> (at most <paramref name="count"/>, fewer only at the end) without
    /// copying them, valid until the next call on this source; false when this source cannot lend its memory.
    /// </summary>
    bool TryPeek(long offset, int count, out ReadOnlySpan<byte> data)
    {
        data = default;
        return false;
    }
}
