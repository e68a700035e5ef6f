namespace SharpPxe.Dhcp;

/// <summary>
/// Walks one options area (the options field, or file/sname when overloaded) as code/length/value
/// triples, skipping Pad and stopping at End (RFC 2132 §2). Never reads past the area.
/// </summary>
internal ref struct DhcpOptionReader
{
    private const int CodeAndLengthOctets = 2;

    private readonly ReadOnlySpan<byte> _area;
    private int _position;
    private bool _sawEnd;

    public DhcpOptionReader(ReadOnlySpan<byte> area)
    {
        _area = area;
    }

    /// <summary>Why the walk stopped: None after End, else the defect.</summary>
    public DhcpParseError Error { get; private set; }

    /// <summary>Reads the next option; false at End, at the end of the area, or on a defect.</summary>
    public bool TryReadNext(out byte code, out ReadOnlySpan<byte> value)
    {
        value = default;
        code = 0;
        while (_position < _area.Length && !_sawEnd && Error == DhcpParseError.None)
        {
            byte tag = _area[_position];
            if (tag == (byte)DhcpOptionCode.Pad)
            {
                // RFC 2132 §3.1: Pad is one octet, no length.
                _position++;
                continue;
            }

            if (tag == (byte)DhcpOptionCode.End)
            {
                // RFC 2132 §3.2: End is one octet; what follows is padding and is not read.
                _sawEnd = true;
                return false;
            }

            // RFC 2132 §2: every other option has a length octet and that many value octets.
            int remaining = _area.Length - _position;
            if (remaining < CodeAndLengthOctets)
            {
                Error = DhcpParseError.OptionTruncated;
                return false;
            }

            int length = _area[_position + 1];
            if (length > remaining - CodeAndLengthOctets)
            {
                Error = DhcpParseError.OptionTruncated;
                return false;
            }

            code = tag;
            value = _area.Slice(_position + CodeAndLengthOctets, length);
            _position += CodeAndLengthOctets + length;
            return true;
        }

        if (!_sawEnd && Error == DhcpParseError.None)
        {
            // The area is used up without End. See DhcpMessage.TryParse for why that is rejected.
            Error = DhcpParseError.MissingEnd;
        }

        return false;
    }
}
