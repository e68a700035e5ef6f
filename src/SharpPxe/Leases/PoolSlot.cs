namespace SharpPxe.Leases;

/// <summary>What one pool address is doing now.</summary>
internal enum SlotKind
{
    /// <summary>Nobody holds it: never used, or its last holder's time ran out or it was released.</summary>
    Free,

    /// <summary>Offered to a client (DHCPOFFER sent) and held for it until the hold ends.</summary>
    Offered,

    /// <summary>Leased to a client (DHCPACK sent).</summary>
    Bound,

    /// <summary>Quarantined after a DHCPDECLINE.</summary>
    Declined,

    /// <summary>Never handed out: the server's own address, the router, a static binding.</summary>
    Excluded,
}

/// <summary>
/// The state of one address of the pool. Owned by <see cref="LeaseManager"/> and only touched under its lock.
/// </summary>
internal sealed class PoolSlot
{
    public SlotKind Kind { get; set; }

    /// <summary>The holder; for a free slot, its last holder (whom it goes back to first).</summary>
    public string? ClientKey { get; set; }

    public string Mac { get; set; } = string.Empty;

    public string? HostName { get; set; }

    /// <summary>When the offer, lease or quarantine ends; for a free slot, when it became free.</summary>
    public DateTimeOffset Expires { get; set; }

    /// <summary>Whether the address has ever been leased (a free slot that never was is offered first).</summary>
    public bool EverBound { get; set; }

    /// <summary>Its place in the list of reusable addresses while it is free and has been used.</summary>
    public LinkedListNode<int>? ReuseNode { get; set; }

    /// <summary>The time of the earliest expiry-queue entry for this slot, or 0 when it has none.</summary>
    public long QueuedTicks { get; set; }

    public bool IsHeld => Kind is SlotKind.Offered or SlotKind.Bound or SlotKind.Declined;
}
