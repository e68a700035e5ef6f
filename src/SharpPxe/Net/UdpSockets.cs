using System.Net;
using System.Net.Sockets;

namespace SharpPxe.Net;

/// <summary>Opens the UDP sockets the services listen on, with a clear error when the port cannot be had.</summary>
public static class UdpSockets
{
    /// <summary>Socket buffer asked of the kernel: bursts of thousands of datagrams wait there.</summary>
    public const int ReceiveBufferBytes = 4 << 20;

    private const int SolSocket = 1;
    private const int SoReceiveBufferForce = 33;
    private const int SoSendBufferForce = 32;
    private const int SoBindToDevice = 25;

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
            EnlargeReceiveBuffer(socket);
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

    /// <summary>
    /// SO_BINDTODEVICE: the socket sees only <paramref name="interfaceName"/>'s traffic and sends only by it
    /// (--interface). Does nothing when the name is null.
    /// </summary>
    public static void BindToDevice(Socket socket, string? interfaceName)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (interfaceName is not null)
        {
            socket.SetRawSocketOption(
                SolSocket, SoBindToDevice, System.Text.Encoding.ASCII.GetBytes(interfaceName + "\0"));
        }
    }

    /// <summary>
    /// Asks for <see cref="ReceiveBufferBytes"/> each way: as root past net.core.rmem_max and wmem_max
    /// (SO_RCVBUFFORCE, SO_SNDBUFFORCE), else as much as the kernel allows.
    /// </summary>
    private static void EnlargeReceiveBuffer(Socket socket)
    {
        try
        {
            if (OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess)
            {
                // The send side too: replies waiting for ARP resolution count against it, and a full buffer
                // would cost the broadcast replies of clients that did nothing wrong.
                socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, BitConverter.GetBytes(ReceiveBufferBytes));
                socket.SetRawSocketOption(SolSocket, SoSendBufferForce, BitConverter.GetBytes(ReceiveBufferBytes));
                return;
            }
        }
        catch (SocketException)
        {
            // Fall through to the ordinary option.
        }

        socket.ReceiveBufferSize = ReceiveBufferBytes;
    }
}
