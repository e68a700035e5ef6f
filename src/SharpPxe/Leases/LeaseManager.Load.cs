namespace SharpPxe.Leases;

/// <summary>Taking in stored and imported leases.</summary>
public sealed partial class LeaseManager
{
    /// <summary>
    /// Loads the store's records: unexpired bound leases and quarantines are held again; expired leases are
    /// remembered so that their clients get the same address back. Call once, before serving.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Lease> stored = await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        int bound = 0, declined = 0, expired = 0, ignored = 0;
        var outside = new List<Lease>();
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireDue(now);
            // Oldest first: the least recently expired addresses head the reuse list, and where two records claim
            // one address the later one wins.
            foreach (Lease lease in stored.OrderBy(l => l.Expires))
            {
                int index = PoolIndex(lease.Address);
                if (index < 0)
                {
                    ignored++;
                    outside.Add(lease);
                }
                else if (lease.Expires <= now)
                {
                    expired++;
                    RememberExpired(index, lease);
                }
                else
                {
                    Restore(index, lease);
                    _ = lease.State == LeaseState.Bound ? bound++ : declined++;
                }
            }
        }

        foreach (Lease lease in outside)
        {
            LeasesLog.RecordIgnored(_logger, lease.Mac, lease.Address, "outside the pool or excluded");
        }

        LeasesLog.Loaded(_logger, bound, declined, expired, ignored);
    }

    /// <summary>
    /// Takes in leases from elsewhere (PyPXE's lease file) and stores them: each unexpired bound lease of the pool
    /// whose address is free and whose client holds nothing yet. Returns how many were taken.
    /// </summary>
    public async Task<int> ImportAsync(IEnumerable<Lease> leases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var saves = new List<Task>();
        int offered = 0;
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireDue(now);
            foreach (Lease lease in leases)
            {
                offered++;
                int index = PoolIndex(lease.Address);
                if (lease.State != LeaseState.Bound || lease.Expires <= now || index < 0
                    || SlotAt(index).IsHeld
                    || _byClient.TryGetValue(lease.ClientKey, out int held) && _slots[held]!.IsHeld)
                {
                    continue;
                }

                Restore(index, lease);
                saves.Add(_store.SaveAsync(lease, cancellationToken));
            }
        }

        await Task.WhenAll(saves).ConfigureAwait(false);
        LeasesLog.Imported(_logger, saves.Count, offered);
        return saves.Count;
    }

    private void RememberExpired(int index, Lease lease)
    {
        PoolSlot slot = SlotAt(index);
        if (lease.State != LeaseState.Bound || slot.IsHeld)
        {
            return;
        }

        if (_byClient.TryGetValue(lease.ClientKey, out int other) && other != index)
        {
            if (_slots[other]!.IsHeld)
            {
                // The client holds an address now; an older record does not change that.
                return;
            }

            _slots[other]!.ClientKey = null;
        }

        if (slot.ReuseNode is null)
        {
            ClearNeverUsed(index);
            slot.ReuseNode = _reusable.AddLast(index);
        }

        Forget(index, slot);

        slot.EverBound = true;
        slot.ClientKey = lease.ClientKey;
        slot.Mac = lease.Mac;
        slot.Expires = lease.Expires;
        _byClient[lease.ClientKey] = index;
    }

    private void Restore(int index, Lease lease)
    {
        PoolSlot slot = SlotAt(index);
        if (slot.Kind == SlotKind.Free)
        {
            TakeFree(index, slot, lease.ClientKey);
        }
        else
        {
            Forget(index, slot);
        }

        bool isBound = lease.State == LeaseState.Bound;
        if (isBound && _byClient.TryGetValue(lease.ClientKey, out int other) && other != index)
        {
            PoolSlot old = _slots[other]!;
            if (old.IsHeld)
            {
                MakeFree(other, old, old.Expires < lease.Expires ? old.Expires : lease.Expires);
            }

            old.ClientKey = null;
        }

        slot.Kind = isBound ? SlotKind.Bound : SlotKind.Declined;
        slot.EverBound = true;
        slot.ClientKey = lease.ClientKey;
        slot.Mac = lease.Mac;
        slot.HostName = lease.HostName;
        slot.Expires = lease.Expires;
        if (isBound)
        {
            _byClient[lease.ClientKey] = index;
        }

        Schedule(index, slot);
    }
}
