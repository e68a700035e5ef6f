using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace SharpPxe.Http;

/// <summary>
/// Kestrel's response body feature with one change: <see cref="SendFileAsync"/> (what ASP.NET Core's file results
/// call, after they have dealt with ranges, validators and HEAD) sends the file with sendfile(2) through the
/// connection's <see cref="SendfileOutput"/> instead of reading it into buffers. Everything else is Kestrel's.
/// </summary>
internal sealed class SendfileResponseBody(
    HttpContext context, IHttpResponseBodyFeature kestrel, SendfileOutput output) : IHttpResponseBodyFeature
{
    /// <summary>The most octets sent with one sendfile flush (and timed against the minimum rate at once).</summary>
    private const long SliceSize = 4L * 1024 * 1024;

    /// <summary>
    /// HTTP middleware: puts this feature in place for requests on connections that have a
    /// <see cref="SendfileOutput"/>.
    /// </summary>
    public static Task Use(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<SendfileOutput>() is { } output
            && context.Features.Get<IHttpResponseBodyFeature>() is { } kestrel)
        {
            context.Features.Set<IHttpResponseBodyFeature>(new SendfileResponseBody(context, kestrel, output));
        }

        return next(context);
    }

    public Stream Stream => kestrel.Stream;

    public PipeWriter Writer => kestrel.Writer;

    public void DisableBuffering() => kestrel.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => kestrel.StartAsync(cancellationToken);

    public Task CompleteAsync() => kestrel.CompleteAsync();

    public async Task SendFileAsync(
        string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, Options = FileOptions.Asynchronous,
        });
        await using ConfiguredAsyncDisposable owned = file.ConfigureAwait(false);
        long length = count ?? (file.Length - offset);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset + length > file.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "The range runs past the end of the file.");
        }

        // Kestrel times a flush by the octets it was given to write, which here are only the headers: it would
        // cut any body that takes longer than its grace period. The sends are timed here instead, per slice, with
        // the same minimum rate.
        IHttpMinResponseDataRateFeature? rateFeature = context.Features.Get<IHttpMinResponseDataRateFeature>();
        MinDataRate? minimum = rateFeature?.MinDataRate;
        if (rateFeature is not null)
        {
            rateFeature.MinDataRate = null;
        }

        // The headers go out first, through Kestrel, and are flushed, so the file range follows them.
        await kestrel.StartAsync(cancellationToken).ConfigureAwait(false);
        if ((await kestrel.Writer.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted)
        {
            return;
        }

        // Kestrel is told of every body octet (its Content-Length check and keep-alive depend on that), but those
        // octets are never filled in: sendfile sends the file instead, a slice per flush.
        PipeWriter writer = kestrel.Writer;
        for (long done = 0; done < length;)
        {
            long slice = Math.Min(SliceSize, length - done);
            output.BeginFile(file, offset + done, slice);
            for (long left = slice; left > 0;)
            {
                Memory<byte> memory = writer.GetMemory((int)Math.Min(left, SendfileOutput.ScratchSize));
                int advanced = (int)Math.Min(memory.Length, left);
                writer.Advance(advanced);
                left -= advanced;
            }

            done += slice;
            FlushResult flushed = await FlushWithinAsync(writer, minimum, slice, cancellationToken)
                .ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                // The connection is gone (or was cut for being too slow): nothing more to send.
                return;
            }
        }
    }

    /// <summary>
    /// Flushes, and aborts the connection when the flush takes longer than the minimum rate allows for
    /// <paramref name="octets"/> (Kestrel's MinResponseDataRate: its grace period plus octets ÷ rate).
    /// </summary>
    private async Task<FlushResult> FlushWithinAsync(
        PipeWriter writer, MinDataRate? minimum, long octets, CancellationToken cancellationToken)
    {
        ValueTask<FlushResult> flush = writer.FlushAsync(cancellationToken);
        if (minimum is null || flush.IsCompleted)
        {
            return await flush.ConfigureAwait(false);
        }

        // A timer that aborts the connection if it fires first (the flush then completes as failed); no extra
        // task in the way of the flush's own completion.
        TimeSpan limit = minimum.GracePeriod + TimeSpan.FromSeconds(octets / minimum.BytesPerSecond);
        using var timer = new CancellationTokenSource(limit);
        using CancellationTokenRegistration abort = timer.Token.UnsafeRegister(
            static state => ((HttpContext)state!).Abort(), context);
        return await flush.ConfigureAwait(false);
    }
}
