using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SharpPxe.Leases;

/// <summary>
/// The authority over the DHCP address pool (RFC 2131 §4.3): decides what a DHCPDISCOVER is offered, whether a
/// DHCPREQUEST is ACKed, and what DHCPDECLINE and DHCPRELEASE do, and writes every binding through an
/// <see cref="ILeaseStore"/> before the DHCPACK may leave. Thread-safe: one lock, held only for in-memory work; the
/// store is called under it (calls only queue) and awaited after leaving it.
/// </summary>
public sealed partial class LeaseManager
{
    private readonly Lock _lock = new();
    private readonly ILeaseStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseTime;
    private readonly TimeSpan _offerHold;
    private readonly TimeSpan _declineTime;
    private readonly ILogger _logger;

    /// <param name="begin">First address of the pool.</param>
    /// <param name="end">Last address of the pool, included.</param>
    /// <param name="excluded">Addresses never handed out: the server's, the router's, static bindings.</param>
    /// <param name="store">Where bindings are made durable.</param>
    /// <param name="time">The clock.</param>
    /// <param name="leaseTime">How long a DHCPACK binds (option 51).</param>
    /// <param name="offerHold">How long an offered address waits for its DHCPREQUEST.</param>
    /// <param name="declineTime">How long a declined address is quarantined.</param>
    /// <param name="logger">Where what was loaded is reported (the DHCP service logs the client outcomes).</param>
    public LeaseManager(IPAddress begin, IPAddress end, IEnumerable<IPAddress> excluded, ILeaseStore store,
        TimeProvider time, TimeSpan leaseTime, TimeSpan offerHold, TimeSpan declineTime, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(begin);
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(excluded);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (begin.AddressFamily != AddressFamily.InterNetwork || end.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("the pool must be IPv4", nameof(begin));
        }

        _begin = ToUInt32(begin);
        long size = (long)ToUInt32(end) - _begin + 1;
        if (size <= 0 || size > MaxPoolSize)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end,
                $"the pool {begin}-{end} must run upwards and hold at most {MaxPoolSize} addresses");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(offerHold, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(declineTime, TimeSpan.Zero);
        Begin = begin;
        End = end;
        _size = (int)size;
        _slots = new PoolSlot?[_size];
        _neverUsed = new ulong[(_size + BitsPerWord - 1) / BitsPerWord];
        _store = store;
        _time = time;
        _leaseTime = leaseTime;
        _offerHold = offerHold;
        _declineTime = declineTime;
        _logger = logger ?? NullLogger.Instance;
        InitializePool(excluded);
    }

    public IPAddress Begin { get; }

    public IPAddress End { get; }

    /// <summary>How many addresses the pool can hand out (the range less the excluded addresses).</summary>
    public int PoolSize { get; private set; }

    /// <summary>How many addresses are neither offered, bound nor quarantined now.</summary>
    public int FreeCount
    {
        get
        {
            lock (_lock)
            {
                ExpireDue(_time.GetUtcNow());
                return FreeCountUnlocked;
            }
        }
    }

    /// <summary>No address is free: a DHCPDISCOVER from a client without a claim gets no offer.</summary>
    public bool IsExhausted => FreeCount == 0;

    /// <summary>
    /// Chooses the address to offer a DHCPDISCOVER (RFC 2131 §4.3.1): the client's current binding, else its held
    /// offer, else the requested address (option 50) when free, else the address it last had when still free,
    /// else the lowest never-used address, else the address free the longest. The address is held for the offer
    /// time. Null when the pool is exhausted.
    /// </summary>
    public IPAddress? Offer(string clientKey, string mac, IPAddress? requested)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        ArgumentNullException.ThrowIfNull(mac);
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireDue(now);
            int index = ChooseForOffer(clientKey, requested);
            if (index < 0)
            {
                return null;
            }

            PoolSlot slot = SlotAt(index);
            if (slot.Kind != SlotKind.Bound)
            {
                if (slot.Kind == SlotKind.Free)
                {
                    TakeFree(index, slot, clientKey);
                }

                slot.Kind = SlotKind.Offered;
                slot.ClientKey = clientKey;
                slot.Mac = mac;
                slot.Expires = now + _offerHold;
                _byClient[clientKey] = index;
                Schedule(index, slot);
            }

            return AddressAt(index);
        }
    }

    /// <summary>
    /// Binds <paramref name="address"/> to the client for a DHCPREQUEST (RFC 2131 §4.3.2) and makes it durable:
    /// the task completes after the store has the lease, so the DHCPACK can follow. Null (send DHCPNAK) when the
    /// address is outside the pool or offered, bound or quarantined for someone else. A client binding a new
    /// address gives up its old one.
    /// </summary>
    public async Task<Lease?> CommitAsync(string clientKey, string mac, IPAddress address, string? hostName,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        ArgumentNullException.ThrowIfNull(mac);
        Lease lease;
        Task saved;
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireDue(now);
            int index = PoolIndex(address);
            PoolSlot? slot = index < 0 ? null : SlotAt(index);
            // RFC 2131 §4.3.2: an address that is not ours to give, or is given to another client, gets a DHCPNAK.
            if (slot is null || (slot.IsHeld && !string.Equals(slot.ClientKey, clientKey, StringComparison.Ordinal)))
            {
                return null;
            }

            if (_byClient.TryGetValue(clientKey, out int previous) && previous != index)
            {
                // One binding per client: whatever it held elsewhere (an offer, an old lease) is let go. The
                // store drops the old row itself when the new one is saved under the same client key.
                PoolSlot old = _slots[previous]!;
                if (old.IsHeld)
                {
                    MakeFree(previous, old, now);
                }

                _byClient.Remove(clientKey);
            }

            if (slot.Kind == SlotKind.Free)
            {
                TakeFree(index, slot, clientKey);
            }

            slot.Kind = SlotKind.Bound;
            slot.EverBound = true;
            slot.ClientKey = clientKey;
            slot.Mac = mac;
            slot.HostName = hostName;
            slot.Expires = now + _leaseTime;
            _byClient[clientKey] = index;
            Schedule(index, slot);
            lease = ToLease(index, slot);
            saved = _store.SaveAsync(lease, cancellationToken);
        }

        await saved.ConfigureAwait(false);
        return lease;
    }

    /// <summary>Whether the address is one this pool hands out (in the range and not excluded).</summary>
    /// <remarks>Lock-free: which addresses are excluded is fixed at construction.</remarks>
    public bool IsInPool(IPAddress address) => PoolIndex(address) >= 0;

    /// <summary>The client's current (unexpired) lease, or null.</summary>
    public Lease? FindByClient(string clientKey)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        lock (_lock)
        {
            ExpireDue(_time.GetUtcNow());
            if (_byClient.TryGetValue(clientKey, out int index) && _slots[index] is { Kind: SlotKind.Bound } slot)
            {
                return ToLease(index, slot);
            }

            return null;
        }
    }

    /// <summary>The current lease or quarantine of an address, or null.</summary>
    public Lease? FindByAddress(IPAddress address)
    {
        lock (_lock)
        {
            ExpireDue(_time.GetUtcNow());
            int index = PoolIndex(address);
            if (index >= 0 && _slots[index] is { Kind: SlotKind.Bound or SlotKind.Declined } slot)
            {
                return ToLease(index, slot);
            }

            return null;
        }
    }

    /// <summary>Every current lease and quarantine, in address order (for the dashboard and the PyPXE file).</summary>
    public IReadOnlyList<Lease> Snapshot()
    {
        lock (_lock)
        {
            ExpireDue(_time.GetUtcNow());
            var leases = new List<Lease>();
            for (int i = 0; i < _size; i++)
            {
                if (_slots[i] is { Kind: SlotKind.Bound or SlotKind.Declined } slot)
                {
                    leases.Add(ToLease(i, slot));
                }
            }

            return leases;
        }
    }

    /// <summary>
    /// The client's DHCPREQUEST named another server (RFC 2131 §4.3.2, SELECTING): it declined our offer, so
    /// the held address is free again.
    /// </summary>
    public void CancelOffer(string clientKey)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        lock (_lock)
        {
            if (_byClient.TryGetValue(clientKey, out int index) && _slots[index] is { Kind: SlotKind.Offered } slot)
            {
                MakeFree(index, slot, _time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// DHCPDECLINE: the client found the address in use. It is quarantined for the decline time, durably (RFC 2131
    /// §4.3.3: the server must mark the address as not available). False when the address is not in the pool or
    /// is held for another client (not this client's to decline).
    /// </summary>
    public async Task<bool> DeclineAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        Lease quarantine;
        Task saved;
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireDue(now);
            int index = PoolIndex(address);
            if (index < 0)
            {
                return false;
            }

            PoolSlot slot = SlotAt(index);
            bool own = string.Equals(slot.ClientKey, clientKey, StringComparison.Ordinal);
            // RFC 2131 §4.3.3 lets a client decline only the address it was given (offered or bound to it): a
            // free address or another client's is never quarantined on a stranger's word.
            if (!slot.IsHeld || !own)
            {
                return false;
            }

            string mac = slot.Mac;

            Forget(index, slot);
            slot.Kind = SlotKind.Declined; // RFC 2131 §4.3.3: mark the address as not available.
            slot.EverBound = true;
            slot.ClientKey = Lease.KeyForDeclined(AddressAt(index));
            slot.Mac = mac;
            slot.HostName = null;
            slot.Expires = now + _declineTime;
            Schedule(index, slot);
            quarantine = ToLease(index, slot);
            // Saved under its own key; the store drops the decliner's row for this address (unique address).
            saved = _store.SaveAsync(quarantine, cancellationToken);
        }

        await saved.ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// DHCPRELEASE (RFC 2131 §4.3.4): frees the address when it is bound to this client. The address stays
    /// remembered for the client, which gets it back if nobody took it meanwhile. False when it was not theirs.
    /// </summary>
    public async Task<bool> ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        Task deleted;
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireDue(now);
            int index = PoolIndex(address);
            if (index < 0 || _slots[index] is not { Kind: SlotKind.Bound } slot
                || !string.Equals(slot.ClientKey, clientKey, StringComparison.Ordinal))
            {
                return false;
            }

            // RFC 2131 §4.3.4: mark the address as not allocated, keeping the record of who had it.
            MakeFree(index, slot, now);
            deleted = _store.DeleteAsync(clientKey, cancellationToken);
        }

        await deleted.ConfigureAwait(false);
        return true;
    }

    private static string MacOf(string clientKey) =>
        clientKey.StartsWith("mac:", StringComparison.Ordinal) ? clientKey["mac:".Length..] : string.Empty;

    /// <summary>The slot to offer, or -1. Under the lock, after <see cref="ExpireDue"/>.</summary>
    private int ChooseForOffer(string clientKey, IPAddress? requested)
    {
        if (_byClient.TryGetValue(clientKey, out int own))
        {
            PoolSlot slot = _slots[own]!;
            bool mine = string.Equals(slot.ClientKey, clientKey, StringComparison.Ordinal);
            // RFC 2131 §4.3.1: the client's current binding first, then (here) its held offer.
            if (mine && (slot.IsHeld || (slot.Kind == SlotKind.Free && requested is null)))
            {
                return own;
            }
        }

        // RFC 2131 §4.3.1: else the requested address (option 50) if valid and not allocated.
        int wanted = PoolIndex(requested);
        if (wanted >= 0 && (_slots[wanted]?.Kind ?? SlotKind.Free) == SlotKind.Free)
        {
            return wanted;
        }

        // RFC 2131 §4.3.1: else the client's previous address, if it is still free.
        if (_byClient.TryGetValue(clientKey, out own) && _slots[own]!.Kind == SlotKind.Free
            && string.Equals(_slots[own]!.ClientKey, clientKey, StringComparison.Ordinal))
        {
            return own;
        }

        return NextFree();
    }
}
