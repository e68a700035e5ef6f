namespace SharpPxe.Leases;

/// <summary>The lease database cannot be opened or read; the message names the file and says why.</summary>
public sealed class LeaseStoreException : Exception
{
    public LeaseStoreException()
    {
    }

    public LeaseStoreException(string message)
        : base(message)
    {
    }

    public LeaseStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
