using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// The test's own TFTP codec (RFC 1350, RFC 2347), written apart from the product's so a shared mistake
/// cannot hide: requests, ACKs and ERRORs to send; <see cref="WirePacket"/> for what comes back.
/// </summary>
internal static class TftpWire
{
    public const ushort ReadRequest = 1;
    public const ushort WriteRequest = 2;
    public const ushort Data = 3;
    public const ushort Ack = 4;
    public const ushort Error = 5;
    public const ushort OptionAck = 6;

    public static byte[] Request(
        ushort opcode, string file, string mode = "octet", params (string Name, string Value)[] options)
    {
        var packet = new List<byte>();
        packet.Add((byte)(opcode >> 8));
        packet.Add((byte)opcode);
        AddField(packet, file);
        AddField(packet, mode);
        foreach ((string name, string value) in options)
        {
            AddField(packet, name);
            AddField(packet, value);
        }

        return [.. packet];
    }

    public static byte[] ReadRequestFor(string file, params (string Name, string Value)[] options) =>
        Request(ReadRequest, file, "octet", options);

    public static byte[] AckOf(ushort block) => [0, (byte)Ack, (byte)(block >> 8), (byte)block];

    public static byte[] ErrorOf(ushort code, string message)
    {
        byte[] text = Encoding.ASCII.GetBytes(message);
        byte[] packet = new byte[4 + text.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(packet, Error);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), code);
        text.CopyTo(packet, 4);
        return packet;
    }

    /// <summary>The 16-bit number of block <paramref name="index"/>: wraps to 0, or to 1 with rollover 1.</summary>
    public static ushort WireNumber(long index, int rolloverTo) => rolloverTo == 1 && index > ushort.MaxValue
        ? (ushort)(((index - 1) % ushort.MaxValue) + 1)
        : (ushort)index;

    private static void AddField(List<byte> packet, string text)
    {
        packet.AddRange(Encoding.UTF8.GetBytes(text));
        packet.Add(0);
    }
}

/// <summary>One datagram as the scripted client received it.</summary>
internal sealed class WirePacket
{
    private readonly byte[] _bytes;

    public WirePacket(IPEndPoint from, byte[] bytes)
    {
        From = from;
        _bytes = bytes;
    }

    public IPEndPoint From { get; }

    public int Length => _bytes.Length;

    public ushort Opcode => _bytes.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(_bytes) : (ushort)0;

    public bool IsData => Opcode == TftpWire.Data && _bytes.Length >= 4;

    public bool IsOptionAck => Opcode == TftpWire.OptionAck;

    public bool IsError => Opcode == TftpWire.Error && _bytes.Length >= 4;

    /// <summary>The block number of a DATA, or the code of an ERROR.</summary>
    public ushort Number => _bytes.Length >= 4 ? BinaryPrimitives.ReadUInt16BigEndian(_bytes.AsSpan(2)) : (ushort)0;

    public ReadOnlySpan<byte> Payload => _bytes.AsSpan(Math.Min(4, _bytes.Length));

    public string ErrorMessage => IsError ? Encoding.UTF8.GetString(_bytes.AsSpan(4)).TrimEnd('\0') : string.Empty;

    /// <summary>The name/value pairs of an OACK, names lower-cased.</summary>
    public IReadOnlyDictionary<string, string> Options
    {
        get
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!IsOptionAck)
            {
                return options;
            }

            string[] fields = Encoding.UTF8.GetString(_bytes.AsSpan(2)).Split('\0');
            for (int i = 0; i + 1 < fields.Length; i += 2)
            {
                options[fields[i].ToLowerInvariant()] = fields[i + 1];
            }

            return options;
        }
    }

    public bool SameBytes(WirePacket other) => _bytes.AsSpan().SequenceEqual(other._bytes);

    public override string ToString() => Opcode switch
    {
        TftpWire.Data => $"DATA {Number} ({Payload.Length} octets) from {From}",
        TftpWire.Error => $"ERROR {Number} '{ErrorMessage}' from {From}",
        TftpWire.OptionAck => $"OACK {string.Join(", ", Options.Select(o => $"{o.Key}={o.Value}"))} from {From}",
        _ => $"opcode {Opcode} ({Length} octets) from {From}",
    };
}
