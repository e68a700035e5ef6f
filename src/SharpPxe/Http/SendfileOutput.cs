using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using SharpPxe.Diagnostics;

namespace SharpPxe.Http;

/// <summary>
/// The output side of one Kestrel connection, put in place by <see cref="Use"/>: Kestrel writes its responses
/// into this writer as usual, and the writer sends them on the connection's socket itself, so that a file body
/// can go out with sendfile(2) — straight from the page cache to the socket, never through this process's
/// memory. Kestrel has no zero-copy path of its own (its SendFileAsync reads the file into buffers and copies
/// them), and copying is what a boot server spends its CPU on when hundreds of machines pull kernels.
/// </summary>
/// <remarks>
/// How a file body travels: the response's headers are written and flushed by Kestrel first; then
/// <see cref="BeginFile"/> records the file range at the current place in the output, and the body octets that
/// Kestrel is then given (<see cref="SendfileResponseBody"/> advances Kestrel's writer by the range's length,
/// so Kestrel's Content-Length accounting and keep-alive stay exactly as they are) land in a scratch buffer
/// and are dropped here; at the flush, the socket gets everything in order — buffered octets with send, the file
/// range with sendfile. Everything else (headers, scripts, errors) is buffered and sent at each flush.
/// </remarks>
internal sealed class SendfileOutput : PipeWriter
{
    private const int BufferSize = 16 * 1024;

    /// <summary>The most placeholder octets one GetMemory lends (see <see cref="SendfileResponseBody"/>).</summary>
    internal const int ScratchSize = 1024 * 1024;

    private static readonly byte[] s_scratch = new byte[ScratchSize];

    /// <summary>The most octets one sendfile element carries (SendPacketsElement takes an int count).</summary>
    private const int MaxFileElement = 1 << 30;

    private readonly ConnectionContext _connection;
    private readonly Socket _socket;
    private readonly ServiceCounters _counters;
    private readonly PipeWriter _transportOutput;
    private readonly List<SendPacketsElement> _pending = [];
    private readonly List<byte[]> _rented = [];
    private byte[]? _buffer;
    private int _written;
    private long _unflushed;
    private long _placeholder;
    private long _fileOctets;
    private bool _completed;
    private bool _flushing;
    private bool _failed;
    private Exception? _completion;

    private SendfileOutput(
        ConnectionContext connection, Socket socket, PipeWriter transportOutput, ServiceCounters counters)
    {
        _connection = connection;
        _counters = counters;
        _socket = socket;
        _transportOutput = transportOutput;
    }

    /// <inheritdoc />
    public override bool CanGetUnflushedBytes => true;

    /// <inheritdoc />
    public override long UnflushedBytes => _unflushed;

    /// <summary>The gauge, in the HTTP service's counters, of file octets sent with sendfile.</summary>
    public const string SentGauge = "sendfileBytes";

    /// <summary>
    /// Kestrel connection middleware: gives every connection on a socket this writer as its output, and itself
    /// as a connection feature (<see cref="SendfileOutput"/>) that <see cref="SendfileResponseBody"/> finds.
    /// Connections without a socket (another transport) are left as they are.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Use(ServiceCounters counters) => next =>
        async connection =>
    {
        if (!OperatingSystem.IsLinux() || connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        IDuplexPipe transport = connection.Transport;
        var output = new SendfileOutput(connection, socket, transport.Output, counters);
        connection.Features.Set(output);
        connection.Transport = new Duplex(transport.Input, output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
        }
    };

    /// <summary>
    /// Marks the next <paramref name="count"/> octets written as the file's bytes from <paramref name="offset"/>:
    /// they are not kept, and the flush sends that range of the file with sendfile in their place. The caller keeps
    /// <paramref name="file"/> open until that flush has completed.
    /// </summary>
    public void BeginFile(FileStream file, long offset, long count)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_placeholder != 0)
        {
            throw new InvalidOperationException("The previous file's octets have not all been written.");
        }

        Seal();
        for (long sent = 0; sent < count; sent += MaxFileElement)
        {
            _pending.Add(new SendPacketsElement(file, offset + sent, (int)Math.Min(MaxFileElement, count - sent)));
        }

        _placeholder = count;
        _unflushed += count;
        _fileOctets += count;
    }

    /// <inheritdoc />
    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_placeholder > 0)
        {
            // The octets written now stand for the file range and are dropped unread: one scratch buffer, shared by
            // every connection (its content never matters), takes them all.
            return sizeHint > s_scratch.Length ? new byte[sizeHint] : s_scratch;
        }

        int needed = Math.Max(sizeHint, 1);
        if (_buffer is null || _buffer.Length - _written < needed)
        {
            Seal();
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, needed));
            _rented.Add(_buffer);
        }

        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <inheritdoc />
    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_placeholder > 0)
        {
            if (bytes > _placeholder)
            {
                throw new InvalidOperationException("More octets were written than the file range holds.");
            }

            _placeholder -= bytes;
            return;
        }

        _written += bytes;
        _unflushed += bytes;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Like Kestrel's own socket output, a flush never throws when the peer is gone: the send's failure aborts the
    /// connection and the flush reports the output completed. A send that ends short (a file that shrank while
    /// it was sent: sendfile stops at its end) aborts the connection too, so the client sees a cut response
    /// rather than the next response's bytes where it still expects this one's body.
    /// </remarks>
    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_completed || _failed)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        Seal();
        if (_pending.Count == 0)
        {
            return default;
        }

        long expected = 0;
        long bufferOctets = 0;
        foreach (SendPacketsElement element in _pending)
        {
            long octets = element.FileStream is null ? element.MemoryBuffer!.Value.Length : element.Count;
            expected += octets;
            bufferOctets += element.FileStream is null ? octets : 0;
        }

        _flushing = true;
        string? failure = null;
        try
        {
            long sent;
            if (_fileOctets == 0 && _pending.Count == 1)
            {
                sent = await _socket.SendAsync(_pending[0].MemoryBuffer!.Value, SocketFlags.None, cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                // Not cancellable half way (the buffers must outlive the send): an abort ends it with an error.
                sent = await SendPacketsAsync([.. _pending]).ConfigureAwait(false);
            }

            _counters.AddToGauge(SentGauge, Math.Clamp(sent - bufferOctets, 0, _fileOctets));
            if (sent < expected)
            {
                failure = $"sent {sent} of {expected} octets (the file is shorter than when it was opened)";
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            failure = ex.Message;
        }
        finally
        {
            _flushing = false;
            Release();
            if (_completed)
            {
                _transportOutput.Complete(_completion);
            }
        }

        if (failure is null)
        {
            return default;
        }

        _failed = true;
        _connection.Abort(new ConnectionAbortedException(failure));
        return new FlushResult(isCanceled: false, isCompleted: true);
    }

    /// <inheritdoc />
    public override void CancelPendingFlush()
    {
        // Sends are not cancelled half way: the connection's abort ends them.
    }

    /// <inheritdoc />
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_flushing)
        {
            // The flush in progress still uses the buffers: it releases them and completes the transport.
            _completion = exception;
            return;
        }

        Release();
        _transportOutput.Complete(exception);
    }

    /// <summary>Moves the octets written so far into the list of things to send.</summary>
    private void Seal()
    {
        if (_buffer is not null && _written > 0)
        {
            _pending.Add(new SendPacketsElement(_buffer.AsMemory(0, _written)));
            _buffer = null;
            _written = 0;
        }
    }

    private void Release()
    {
        _pending.Clear();
        foreach (byte[] rented in _rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        _rented.Clear();
        _buffer = null;
        _written = 0;
        _unflushed = 0;
        _fileOctets = 0;
    }

    /// <summary>Sends the elements in order (buffers with send, file ranges with sendfile); the octets sent.</summary>
    private Task<long> SendPacketsAsync(SendPacketsElement[] elements)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var args = new SocketAsyncEventArgs { SendPacketsElements = elements };
        args.Completed += (_, e) => Finish(e, done);
        if (!_socket.SendPacketsAsync(args))
        {
            Finish(args, done);
        }

        return done.Task;

        static void Finish(SocketAsyncEventArgs e, TaskCompletionSource<long> done)
        {
            if (e.SocketError == SocketError.Success)
            {
                done.TrySetResult(e.BytesTransferred);
            }
            else
            {
                done.TrySetException(new SocketException((int)e.SocketError));
            }

            e.Dispose();
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
