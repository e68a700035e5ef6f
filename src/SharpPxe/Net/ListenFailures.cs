using System.Net;
using System.Net.Sockets;
using SharpPxe.Hosting;

namespace SharpPxe.Net;

/// <summary>Turns a failure to bind a listening socket into the one line a user needs: cause and remedy.</summary>
public static class ListenFailures
{
    /// <summary>Ports below this need root or CAP_NET_BIND_SERVICE on Linux.</summary>
    public const int FirstUnprivilegedPort = 1024;

    public static ServiceStartException From(string service, IPEndPoint endpoint, string portFlag, SocketException ex)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(ex);
        string where = $"{endpoint} ({(service is "HTTP" or "NBD" ? "TCP" : "UDP")})";
        return ex.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => new ServiceStartException(service, where,
                "the port is already in use",
                $"stop the other server on port {endpoint.Port} (see `ss -lunp`/`ss -ltnp`) "
                + $"or choose another with {portFlag}",
                ex),
            SocketError.AccessDenied when endpoint.Port < FirstUnprivilegedPort => new ServiceStartException(service,
                where, "permission denied",
                $"run as root, grant CAP_NET_BIND_SERVICE (setcap cap_net_bind_service+ep), or use a port from "
                + $"{FirstUnprivilegedPort} up with {portFlag}", ex),
            SocketError.AccessDenied => new ServiceStartException(service, where, "permission denied",
                "check the address and the process's privileges", ex),
            SocketError.AddressNotAvailable => new ServiceStartException(service, where,
                "the address is not on any interface of this host",
                "bind to an address this host has (see `ip -4 addr`)",
                ex),
            _ => new ServiceStartException(service, where, ex.Message, "check the address and port", ex),
        };
    }
}
