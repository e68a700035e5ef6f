using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SharpPxe.Http;

/// <summary>
/// Kestrel's response body feature with one change: <see cref="SendFileAsync"/> (what ASP.NET Core's file results
/// call, after they have dealt with ranges, validators and HEAD) sends the file with sendfile(2) through the
/// connection's <see cref="SendfileOutput"/> instead of reading it into buffers. Everything else is Kestrel's.
/// </summary>
internal sealed class SendfileResponseBody(IHttpResponseBodyFeature kestrel, SendfileOutput output)
    : IHttpResponseBodyFeature
{
    /// <summary>
    /// HTTP middleware: puts this feature in place for requests on connections that have a
    /// <see cref="SendfileOutput"/>.
    /// </summary>
    public static Task Use(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<SendfileOutput>() is { } output
            && context.Features.Get<IHttpResponseBodyFeature>() is { } kestrel)
        {
            context.Features.Set<IHttpResponseBodyFeature>(new SendfileResponseBody(kestrel, output));
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
        long length;
        try
        {
            length = count ?? (file.Length - offset);
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            if (offset + length > file.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "The range runs past the end of the file.");
            }

            // The headers go out first, through Kestrel, and are flushed, so the file range follows them.
            await kestrel.StartAsync(cancellationToken).ConfigureAwait(false);
            await kestrel.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // From here the output owns the file. Kestrel is told of every body octet (its Content-Length check and
        // keep-alive depend on that), but those octets are never filled in: sendfile sends the file instead.
        output.BeginFile(file, offset, length);
        PipeWriter writer = kestrel.Writer;
        for (long left = length; left > 0;)
        {
            Memory<byte> memory = writer.GetMemory((int)Math.Min(left, SendfileOutput.ScratchSize));
            int advanced = (int)Math.Min(memory.Length, left);
            writer.Advance(advanced);
            left -= advanced;
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
