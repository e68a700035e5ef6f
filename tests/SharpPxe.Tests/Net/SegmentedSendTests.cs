using System.Net;
using System.Net.Sockets;
using SharpPxe.Net;

namespace SharpPxe.Tests.Net;

/// <summary>One sendmsg with UDP_SEGMENT arrives as one ordinary datagram per segment (loopback).</summary>
public class SegmentedSendTests
{
    [Fact]
    public void SendSegmented_ThreeFullSegmentsAndAShortOne_ArriveAsFourDatagramsInOrder()
    {
        using var receiver = Loopback();
        receiver.ReceiveTimeout = 2000;
        using var sender = Loopback();

        const int Segment = 516;
        byte[] buffer = new byte[(3 * Segment) + 4];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)((i / Segment) + 1);
        }

        Assert.True(LinuxSockets.SendSegmented(sender, buffer, (IPEndPoint)receiver.LocalEndPoint!, Segment));

        byte[] received = new byte[2048];
        int[] lengths = new int[4];
        for (int i = 0; i < lengths.Length; i++)
        {
            lengths[i] = receiver.Receive(received);
            Assert.All(received.AsSpan(0, lengths[i]).ToArray(), b => Assert.Equal(i + 1, b));
        }

        Assert.Equal([Segment, Segment, Segment, 4], lengths);
        Assert.Equal(0, receiver.Available);
    }

    [Fact]
    public void SendTo_HeaderAndData_ArriveAsOneDatagram()
    {
        using var receiver = Loopback();
        receiver.ReceiveTimeout = 2000;
        using var sender = Loopback();
        var destination = new LinuxSockets.Ipv4Destination((IPEndPoint)receiver.LocalEndPoint!);

        Assert.True(LinuxSockets.SendTo(sender, [0, 3, 0, 7], "block seven"u8, destination));
        Assert.True(LinuxSockets.SendTo(sender, [0, 3, 0, 8], [], destination));

        byte[] received = new byte[64];
        int first = receiver.Receive(received);
        Assert.Equal([0, 3, 0, 7, .. "block seven"u8], received.AsSpan(0, first).ToArray());
        Assert.Equal(4, receiver.Receive(received));
        Assert.Equal([0, 3, 0, 8], received.AsSpan(0, 4).ToArray());
    }

    [Fact]
    public void ReceiveFrom_TellsTheExpectedPeerFromAStrangerAndTimesOut()
    {
        using var receiver = Loopback();
        // Generous while datagrams are due (loopback delivery may wait for a busy CPU), short for the timeout.
        LinuxSockets.SetReceiveTimeout(receiver, TimeSpan.FromSeconds(5));
        using var peer = Loopback();
        using var stranger = Loopback();
        var expected = new LinuxSockets.Ipv4Destination((IPEndPoint)peer.LocalEndPoint!);
        byte[] buffer = new byte[64];

        peer.SendTo("ack"u8, receiver.LocalEndPoint!);
        Assert.Equal(3, LinuxSockets.ReceiveFrom(receiver, buffer, expected, out IPEndPoint? first));
        Assert.Null(first);
        stranger.SendTo("odd"u8, receiver.LocalEndPoint!);
        Assert.Equal(3, LinuxSockets.ReceiveFrom(receiver, buffer, expected, out IPEndPoint? second));
        Assert.Equal(stranger.LocalEndPoint, second);
        LinuxSockets.SetReceiveTimeout(receiver, TimeSpan.FromMilliseconds(50));
        Assert.Equal(-1, LinuxSockets.ReceiveFrom(receiver, buffer, expected, out _));
    }

    [Fact]
    public void SendSegmented_SegmentTooLargeForADatagram_Throws()
    {
        using var sender = Loopback();
        byte[] buffer = new byte[70_000];

        Assert.ThrowsAny<Exception>(() => LinuxSockets.SendSegmented(
            sender, buffer, new IPEndPoint(IPAddress.Loopback, 9), 65_535));
    }

    /// <summary>A UDP socket bound to an ephemeral port on 127.0.0.1.</summary>
    private static Socket Loopback()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
