using System.Net;
using System.Net.Sockets;

namespace SharpPxe.Net;

/// <summary>Opens the UDP sockets the services listen on, with a clear error when the port cannot be had.</summary>
public static class UdpSockets
{
    /// <summary>
    /// Binds a UDP socket to <paramref name="endpoint"/> with broadcast allowed. The port is not shared
    /// (no SO_REUSEADDR), so a second server on it is reported instead of silently splitting the traffic.
    /// </summary>
    /// <exception cref="Hosting.ServiceStartException">The port is in use or needs privileges.</exception>
    public static Socket Bind(string service, IPEndPoint endpoint, string portFlag, Action<Socket>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.EnableBroadcast = true;
            configure?.Invoke(socket);
            socket.Bind(endpoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw ListenFailures.From(service, endpoint, portFlag, ex);
        }
    }
}
