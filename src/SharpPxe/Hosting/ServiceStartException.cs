namespace SharpPxe.Hosting;

/// <summary>
/// A service could not start (its port is taken, or needs privileges). The message is the one line the user
/// sees: the service, the endpoint, the cause and the remedy. The program stops everything and exits 1.
/// </summary>
public sealed class ServiceStartException : Exception
{
    public ServiceStartException()
        : this("service", "(unknown endpoint)", "could not start", "see the log")
    {
    }

    public ServiceStartException(string message)
        : base(message)
    {
        Service = "service";
        Endpoint = string.Empty;
        Remedy = string.Empty;
    }

    public ServiceStartException(string message, Exception innerException)
        : base(message, innerException)
    {
        Service = "service";
        Endpoint = string.Empty;
        Remedy = string.Empty;
    }

    public ServiceStartException(string service, string endpoint, string cause, string remedy, Exception? inner = null)
        : base($"{service} could not listen on {endpoint}: {cause}; {remedy}", inner)
    {
        Service = service;
        Endpoint = endpoint;
        Remedy = remedy;
    }

    public string Service { get; }

    public string Endpoint { get; }

    public string Remedy { get; }
}
