namespace SharpPxe.TryBoot;

/// <summary>
/// A step of <c>sharppxe try</c>'s own set-up failed (the namespace, the server, QEMU); the message says how.
/// </summary>
public sealed class TryException : Exception
{
    public TryException()
    {
    }

    public TryException(string message)
        : base(message)
    {
    }

    public TryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
