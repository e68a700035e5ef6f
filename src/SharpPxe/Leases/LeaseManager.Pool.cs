using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace SharpPxe.Leases;

/// <summary>
/// The pool's bookkeeping, all under <see cref="_lock"/>: a bitmap of never-used addresses (lowest first, found
/// with a cursor and a word scan), a list of used-but-free addresses in the order they became free, and a queue of
/// expiry times so that offers, leases and quarantines end without scanning the range.
/// </summary>
public sealed partial class LeaseManager
{
    /// <summary>The largest pool handled (a /12); a /16 is the expected top.</summary>
    public const int MaxPoolSize = 1 << 20;

    private const int BitsPerWord = 64;

    private readonly uint _begin;
    private readonly int _size;
    private readonly PoolSlot?[] _slots;
    private readonly ulong[] _neverUsed;
    private readonly LinkedList<int> _reusable = new();
    private readonly PriorityQueue<int, long> _expiries = new();
    private readonly Dictionary<string, int> _byClient = new(StringComparer.Ordinal);
    private int _neverUsedCount;
    private int _neverUsedCursor;

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The address's index in the range, or -1 when it is not an IPv4 address of the range.</summary>
    private int IndexInRange(IPAddress? address)
    {
        if (address is null || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return -1;
        }

        long offset = (long)ToUInt32(address) - _begin;
        return offset >= 0 && offset < _size ? (int)offset : -1;
    }

    /// <summary>The address's index when it may be handed out (in the range, not excluded), else -1.</summary>
    private int PoolIndex(IPAddress? address)
    {
        int index = IndexInRange(address);
        return index >= 0 && _slots[index]?.Kind != SlotKind.Excluded ? index : -1;
    }

    private IPAddress AddressAt(int index) => ToAddress(_begin + (uint)index);

    private PoolSlot SlotAt(int index) => _slots[index] ??= new PoolSlot();

    private Lease ToLease(int index, PoolSlot slot) => new(slot.ClientKey!, slot.Mac, AddressAt(index), slot.Expires,
        slot.Kind == SlotKind.Declined ? LeaseState.Declined : LeaseState.Bound, slot.HostName);

    private void InitializePool(IEnumerable<IPAddress> excluded)
    {
        for (int i = 0; i < _size; i++)
        {
            _neverUsed[i / BitsPerWord] |= 1UL << (i % BitsPerWord);
        }

        _neverUsedCount = _size;
        foreach (IPAddress address in excluded)
        {
            int index = IndexInRange(address);
            if (index >= 0 && SlotAt(index).Kind != SlotKind.Excluded)
            {
                ClearNeverUsed(index);
                _slots[index]!.Kind = SlotKind.Excluded;
            }
        }

        PoolSize = _neverUsedCount;
    }

    /// <summary>Frees every offer, lease and quarantine whose time has come.</summary>
    private void ExpireDue(DateTimeOffset now)
    {
        long nowTicks = now.UtcTicks;
        while (_expiries.TryPeek(out int index, out long ticks) && ticks <= nowTicks)
        {
            _expiries.Dequeue();
            PoolSlot slot = _slots[index]!;
            if (ticks != slot.QueuedTicks)
            {
                // Superseded by an earlier entry for the same slot, which has already been dealt with.
                continue;
            }

            slot.QueuedTicks = 0;
            if (!slot.IsHeld)
            {
                continue;
            }

            if (slot.Expires.UtcTicks <= ticks)
            {
                MakeFree(index, slot, slot.Expires);
            }
            else
            {
                // Extended since this entry was queued: queue it again at its real end, which keeps the order
                // in which addresses become free the order in which they expired.
                Schedule(index, slot);
            }
        }
    }

    /// <summary>Makes sure the slot's expiry will be looked at no later than <see cref="PoolSlot.Expires"/>.</summary>
    private void Schedule(int index, PoolSlot slot)
    {
        long target = slot.Expires.UtcTicks;
        if (slot.QueuedTicks != 0 && slot.QueuedTicks <= target)
        {
            // An earlier entry is queued; when it comes due it re-queues for the later time. This keeps one
            // live entry per slot however often a client renews.
            return;
        }

        slot.QueuedTicks = target;
        _expiries.Enqueue(index, target);
    }

    /// <summary>Gives a held slot back to the pool; it stays remembered for its last holder.</summary>
    private void MakeFree(int index, PoolSlot slot, DateTimeOffset freedAt)
    {
        if (slot.Kind == SlotKind.Offered && !slot.EverBound)
        {
            // An offer nobody took: the address was never really used, so it goes back to the front.
            Forget(index, slot);
            slot.Kind = SlotKind.Free;
            SetNeverUsed(index);
            return;
        }

        slot.Kind = SlotKind.Free;
        slot.Expires = freedAt;
        slot.ReuseNode = _reusable.AddLast(index);
    }

    /// <summary>Takes a free slot out of the free sets for <paramref name="clientKey"/>.</summary>
    private void TakeFree(int index, PoolSlot slot, string clientKey)
    {
        if (slot.ReuseNode is { } node)
        {
            _reusable.Remove(node);
            slot.ReuseNode = null;
        }
        else
        {
            ClearNeverUsed(index);
        }

        if (!string.Equals(slot.ClientKey, clientKey, StringComparison.Ordinal))
        {
            Forget(index, slot);
        }
    }

    /// <summary>Drops the slot's link from its (last) holder.</summary>
    private void Forget(int index, PoolSlot slot)
    {
        if (slot.ClientKey is { } key && _byClient.TryGetValue(key, out int mapped) && mapped == index)
        {
            _byClient.Remove(key);
        }

        slot.ClientKey = null;
    }

    /// <summary>The free slot to offer when the client has no claim: never-used lowest first, then reused.</summary>
    private int NextFree()
    {
        for (int word = _neverUsedCursor; word < _neverUsed.Length; word++)
        {
            if (_neverUsed[word] != 0)
            {
                _neverUsedCursor = word;
                return (word * BitsPerWord) + BitOperations.TrailingZeroCount(_neverUsed[word]);
            }
        }

        _neverUsedCursor = _neverUsed.Length;
        return _reusable.First?.Value ?? -1;
    }

    private void SetNeverUsed(int index)
    {
        _neverUsed[index / BitsPerWord] |= 1UL << (index % BitsPerWord);
        _neverUsedCount++;
        _neverUsedCursor = Math.Min(_neverUsedCursor, index / BitsPerWord);
    }

    private void ClearNeverUsed(int index)
    {
        ulong bit = 1UL << (index % BitsPerWord);
        if ((_neverUsed[index / BitsPerWord] & bit) != 0)
        {
            _neverUsed[index / BitsPerWord] &= ~bit;
            _neverUsedCount--;
        }
    }

    private int FreeCountUnlocked => _neverUsedCount + _reusable.Count;
}
