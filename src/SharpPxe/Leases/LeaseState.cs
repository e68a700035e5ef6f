namespace SharpPxe.Leases;

/// <summary>What a stored lease record means.</summary>
public enum LeaseState
{
    /// <summary>The client holds the address (DHCPACK sent).</summary>
    Bound,

    /// <summary>A client declined the address (DHCPDECLINE): nobody gets it until the record expires.</summary>
    Declined,
}
