using System.Globalization;

namespace SharpPxe.Tftp;

/// <summary>
/// What a transfer runs with after option negotiation (RFC 2347), and the options to put in the OACK.
/// </summary>
/// <param name="BlockSize">Payload octets per DATA block: 512 (RFC 1350) unless blksize was agreed.</param>
/// <param name="WindowSize">Blocks sent before waiting for an ACK: 1 unless windowsize was agreed.</param>
/// <param name="Timeout">The retransmission timeout.</param>
/// <param name="Rollover">Whether the client negotiated the rollover option.</param>
/// <param name="RolloverTo">
/// The block number that follows 65535. Block numbers always wrap (the server never stops at 65535):
/// to 0 by default (the common behaviour of servers and clients), or to 1 when the client asked for "rollover" 1.
/// </param>
/// <param name="Acknowledged">
/// The options for the OACK: only those the client sent and the server accepted, in the client's order,
/// with the server's values. Empty: send no OACK but DATA 1 straight away (RFC 2347 §2; RFC 1350 §4).
/// </param>
public sealed record TftpNegotiation(
    int BlockSize,
    int WindowSize,
    TimeSpan Timeout,
    bool Rollover,
    int RolloverTo,
    IReadOnlyList<KeyValuePair<string, string>> Acknowledged)
{
    /// <summary>RFC 1350 §2: the block size when none is negotiated.</summary>
    public const int DefaultBlockSize = 512;

    /// <summary>RFC 2348 §2: the smallest block size a client may ask for.</summary>
    public const int MinBlockSize = 8;

    /// <summary>RFC 2348 §2: the largest block size a client may ask for.</summary>
    public const int MaxBlockSize = 65464;

    /// <summary>IPv4 (20, no options), UDP (8) and TFTP DATA (4) headers in front of a block.</summary>
    public const int HeaderOverhead = 20 + 8 + 4;

    /// <summary>
    /// Agrees on the options of <paramref name="request"/>: see the rules on each option in the remarks.
    /// Values that are not plain decimal numbers (digits only) are ignored, never an error.
    /// </summary>
    /// <param name="request">The parsed RRQ.</param>
    /// <param name="transferSize">The octets that will be sent (after netascii encoding), -1 when unknown.</param>
    /// <param name="limits">The server's bounds.</param>
    /// <param name="pathMtu">The MTU towards the client, 0 when unknown.</param>
    /// <remarks>
    /// <list type="bullet">
    /// <item>blksize: below 8 ignored; above the server's maximum (65464, <see cref="TftpLimits.MaxBlockSize"/>,
    /// and MTU − 32 when the MTU is known) answered with that maximum.</item>
    /// <item>tsize: a number in an RRQ (RFC 2349 says "0"; any number is taken as the question) is
    /// answered with <paramref name="transferSize"/>; left out when that is unknown. In a WRQ it is echoed.</item>
    /// <item>timeout: 1..255 accepted and echoed, otherwise ignored.</item>
    /// <item>windowsize: 1..65535, answered with the least of the request, <see cref="TftpLimits.MaxWindowSize"/>
    /// and <see cref="TftpLimits.MaxInFlightBytes"/> / block size (at least 1).</item>
    /// <item>rollover: "0" or "1" accepted and echoed, otherwise ignored.</item>
    /// <item>Any other option is ignored (RFC 2347 §2).</item>
    /// </list>
    /// </remarks>
    public static TftpNegotiation Negotiate(TftpRequest request, long transferSize, TftpLimits limits, int pathMtu)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);

        // Pass 1: the values. The window depends on the block size, whichever the client sent first.
        int blockSize = DefaultBlockSize;
        int? acceptedBlockSize = null;
        int? acceptedTimeout = null;
        int? requestedWindow = null;
        int? rolloverTo = null;
        long? acceptedTransferSize = null;
        foreach (KeyValuePair<string, string> option in request.Options)
        {
            if (!TryParseNumber(option.Value, out long value))
            {
                continue;
            }

            switch (option.Key)
            {
                // RFC 2348 §2: valid values range between 8 and 65464; the server may answer with less.
                case TftpOptionNames.BlockSize when value >= MinBlockSize:
                    acceptedBlockSize = (int)Math.Min(value, MaxBlockSizeFor(limits, pathMtu));
                    blockSize = acceptedBlockSize.Value;
                    break;

                // RFC 2349 §4: in an RRQ the server answers with the file's size; in a WRQ it is the client's.
                case TftpOptionNames.TransferSize when request.Opcode == TftpOpcode.WriteRequest:
                    acceptedTransferSize = value;
                    break;
                case TftpOptionNames.TransferSize when transferSize >= 0:
                    acceptedTransferSize = transferSize;
                    break;

                // RFC 2349 §3: the timeout is 1..255 seconds.
                case TftpOptionNames.Timeout when value is >= 1 and <= 255:
                    acceptedTimeout = (int)value;
                    break;

                // RFC 7440 §3: the window size is 1..65535 blocks.
                case TftpOptionNames.WindowSize when value is >= 1 and <= ushort.MaxValue:
                    requestedWindow = (int)value;
                    break;

                case TftpOptionNames.Rollover when value is 0 or 1 && option.Value.Length == 1:
                    rolloverTo = (int)value;
                    break;

                default:
                    break;
            }
        }

        int windowSize = 1;
        if (requestedWindow is int window)
        {
            int inFlight = Math.Max(1, limits.MaxInFlightBytes / blockSize);
            windowSize = Math.Max(1, Math.Min(window, Math.Min(limits.MaxWindowSize, inFlight)));
        }

        // Pass 2: the OACK, in the client's order (RFC 2347 §2 does not fix one; clients expect theirs).
        var acknowledged = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> option in request.Options)
        {
            long? answer = option.Key switch
            {
                TftpOptionNames.BlockSize => acceptedBlockSize,
                TftpOptionNames.TransferSize => acceptedTransferSize,
                TftpOptionNames.Timeout => acceptedTimeout,
                TftpOptionNames.WindowSize => requestedWindow is null ? null : windowSize,
                TftpOptionNames.Rollover => rolloverTo,
                _ => null,
            };
            if (answer is long number)
            {
                acknowledged.Add(new(option.Key, number.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return new TftpNegotiation(
            blockSize,
            windowSize,
            TimeSpan.FromSeconds(acceptedTimeout ?? limits.DefaultTimeoutSeconds),
            rolloverTo is not null,
            rolloverTo ?? 0,
            acknowledged);
    }

    /// <summary>The largest block the server offers: RFC 2348's 65464, the configured limit, MTU − 32.</summary>
    public static int MaxBlockSizeFor(TftpLimits limits, int pathMtu)
    {
        ArgumentNullException.ThrowIfNull(limits);
        int max = Math.Min(MaxBlockSize, limits.MaxBlockSize);
        if (pathMtu > 0)
        {
            max = Math.Min(max, pathMtu - HeaderOverhead);
        }

        return Math.Max(MinBlockSize, max);
    }

    /// <summary>
    /// Digits only (no sign, space or exponent); a number too large for a long saturates, so an absurd
    /// blksize is still "above the limit" rather than "not a number".
    /// </summary>
    private static bool TryParseNumber(string text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                value = 0;
                return false;
            }

            value = value > (long.MaxValue - 9) / 10 ? long.MaxValue : (value * 10) + (c - '0');
        }

        return true;
    }
}
