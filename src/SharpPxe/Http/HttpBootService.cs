using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SharpPxe.Boot;
using SharpPxe.Config;
using SharpPxe.Diagnostics;
using SharpPxe.Hosting;
using SharpPxe.Tftp;

namespace SharpPxe.Http;

/// <summary>
/// The HTTP boot server on Kestrel: GET and HEAD of files under the netboot directory with single byte ranges,
/// keep-alive, ETag, Last-Modified and conditional requests (ASP.NET Core's file results, whose bodies are sent
/// with sendfile(2) by <see cref="SendfileOutput"/> rather than copied through Kestrel's buffers), and iPXE
/// scripts rendered per machine. Paths are confined to the root with symlinks resolved; query strings
/// are ignored for files.
/// </summary>
public sealed class HttpBootService : IHostedService, IAsyncDisposable
{
    private const string MacItem = "sharppxe.mac";
    private const string NoteItem = "sharppxe.note";
    private const string KnownMacItem = "sharppxe.known-mac";
    private const string ScriptItem = "sharppxe.script";

    private static readonly FileExtensionContentTypeProvider s_contentTypes = CreateContentTypes();

    private readonly SharpPxeOptions _options;
    private readonly ServiceCounters _counters;
    private readonly ILogger<HttpBootService> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly MachineDirectory _machines;
    private readonly Events.BootTimeline? _timeline;
    private NetbootFiles? _files;
    private WebApplication? _app;

    public HttpBootService(
        SharpPxeOptions options, CounterRegistry counters, MachineDirectory machines, ILoggerFactory loggerFactory,
        Events.BootTimeline? timeline = null)
    {
        _timeline = timeline;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _counters = counters.For("http");
        _machines = machines;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<HttpBootService>();
    }

    /// <summary>The address and port Kestrel listens on, once started.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _files = new NetbootFiles(_options.NetbootDir, caseInsensitive: false);
        var endpoint = new IPEndPoint(_options.Http.ServerIp, _options.Http.Port);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggerFactory);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Files go out with sendfile(2): Kestrel's own file path copies them through buffers.
            kestrel.Listen(endpoint, listen => listen.Use(SendfileOutput.Use(_counters)));
        });
        _app = builder.Build();
        _app.Use(LogAsync);
        _app.Use(SendfileResponseBody.Use);
        _app.Map("/{**path}", Serve);
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (FindSocketError(ex) is { } socketError)
        {
            throw Net.ListenFailures.From("HTTP", endpoint, "--http-port", socketError);
        }
        catch (IOException ex)
        {
            throw new ServiceStartException("HTTP", $"{endpoint} (TCP)", ex.Message, "check the address and port", ex);
        }

        string address = _app.Urls.FirstOrDefault() ?? $"http://{endpoint}";
        LocalEndPoint = IPEndPoint.Parse(new Uri(address).Authority.Replace("localhost", "127.0.0.1",
            StringComparison.Ordinal));
        HttpLog.Listening(_logger, LocalEndPoint, Path.GetFullPath(_options.NetbootDir));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The socket error behind Kestrel's bind failure (it wraps it in one or two exceptions).</summary>
    private static SocketException? FindSocketError(Exception ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socketError)
            {
                return socketError;
            }
        }

        return ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
            ? new SocketException((int)SocketError.AddressAlreadyInUse)
            : null;
    }

    /// <summary>One line per response, after it is sent: method, path, client, its MAC, status and bytes.</summary>
    private async Task LogAsync(HttpContext context, RequestDelegate next)
    {
        await next(context).ConfigureAwait(false);
        IPAddress client = context.Connection.RemoteIpAddress?.MapToIPv4() ?? IPAddress.Any;
        string mac = context.Items[MacItem] as string ?? "unknown MAC";
        if (context.Items[KnownMacItem] is string known && context.Response.StatusCode is >= 200 and < 300)
        {
            if (context.Items[ScriptItem] is string script)
            {
                _timeline?.ScriptServed(known, script);
            }

            _timeline?.Served(known, "HTTP", context.Request.Path.Value ?? "/");
        }

        string note = context.Items[NoteItem] as string ?? string.Empty;
        long bytes = context.Response.ContentLength ?? 0;
        HttpLog.Served(_logger, context.Request.Method, context.Request.Path.Value ?? "/", client, mac,
            context.Response.StatusCode, bytes, note);
    }

    private IResult Serve(HttpContext context, string? path)
    {
        _counters.CountRequest();
        IPAddress client = context.Connection.RemoteIpAddress?.MapToIPv4() ?? IPAddress.Any;
        MachineInfo? machine = _machines.FindByAddress(client);
        string mac = machine?.Mac ?? "unknown MAC";
        context.Items[MacItem] = mac;
        if (machine is not null)
        {
            context.Items[KnownMacItem] = machine.Mac;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            // The server only reads: anything but GET and HEAD is counted and refused (RFC 9110 §15.5.6).
            _counters.CountDrop("MethodNotAllowed");
            context.Items[NoteItem] = " (method not allowed)";
            context.Response.Headers.Allow = "GET, HEAD";
            return Results.Text("method not allowed\n", "text/plain",
                statusCode: StatusCodes.Status405MethodNotAllowed);
        }
        string requested = path ?? string.Empty;
        if (requested.StartsWith(ConfiguredBootRule.GeneratedScriptPrefix, StringComparison.Ordinal)
            && GeneratedScript(context, requested) is { } generated)
        {
            _counters.CountReply();
            context.Items[NoteItem] = ", written for a kernel rule";
            context.Items[ScriptItem] = generated;
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(generated, "text/plain", Encoding.UTF8);
        }

        NetbootPathResult found = _files!.Resolve(requested, out string fullPath);
        if (found == NetbootPathResult.NotFound && SystemIpxe.Find(requested) is { } system)
        {
            found = NetbootPathResult.Found;
            fullPath = system;
        }

        if (found != NetbootPathResult.Found)
        {
            int status = found == NetbootPathResult.NotFound ? StatusCodes.Status404NotFound
                : StatusCodes.Status403Forbidden;
            _counters.CountDrop(found.ToString());
            context.Items[NoteItem] = $" ({found})";
            return Results.Text(found == NetbootPathResult.NotFound ? "not found\n" : "forbidden\n",
                "text/plain", statusCode: status);
        }

        _counters.CountReply();
        if (fullPath.EndsWith(".ipxe", StringComparison.OrdinalIgnoreCase))
        {
            string script = File.ReadAllText(fullPath);
            context.Items[ScriptItem] = script;
            if (IpxeTemplate.HasPlaceholders(script))
            {
                string server = context.Connection.LocalIpAddress?.MapToIPv4().ToString() ?? "127.0.0.1";
                int port = context.Connection.LocalPort;
                string rendered = IpxeTemplate.Render(script, IpxeTemplate.ValuesFor(machine?.Mac,
                    client.ToString(), machine?.Architecture, machine?.HostName, server, port));
                byte[] body = Encoding.UTF8.GetBytes(rendered);
                context.Items[ScriptItem] = rendered;
                context.Items[NoteItem] = ", rendered for this machine";
                context.Response.Headers.CacheControl = "no-store";
                return Results.Bytes(body, "text/plain; charset=utf-8");
            }
        }

        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
        {
            // The system's iPXE files are symlinks: length, dates and validators are the target's.
            info = target;
            fullPath = target.FullName;
        }

        DateTimeOffset modified = info.LastWriteTimeUtc;
        var etag = new EntityTagHeaderValue(
            $"\"{info.Length:x}-{modified.ToUnixTimeMilliseconds():x}\"");
        if (!s_contentTypes.TryGetContentType(fullPath, out string? contentType))
        {
            contentType = "application/octet-stream";
        }

        return Results.File(fullPath, contentType, fileDownloadName: null, lastModified: modified, entityTag: etag,
            enableRangeProcessing: true);
    }

    /// <summary>The script SharpPXE writes for the kernel rule named by "sharppxe/rules/N.ipxe", or null.</summary>
    private string? GeneratedScript(HttpContext context, string requested)
    {
        string name = requested[ConfiguredBootRule.GeneratedScriptPrefix.Length..];
        if (!name.EndsWith(".ipxe", StringComparison.Ordinal)
            || !int.TryParse(name.AsSpan(0, name.Length - ".ipxe".Length), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int index))
        {
            return null;
        }

        string server = context.Connection.LocalIpAddress?.MapToIPv4().ToString() ?? "127.0.0.1";
        int port = context.Connection.LocalPort;
        string httpBase = port == 80 ? $"http://{server}" : $"http://{server}:{port}";
        return ConfiguredBootRule.GeneratedScript(_options, index, httpBase);
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".ipxe"] = "text/plain";
        provider.Mappings[".efi"] = "application/efi";
        provider.Mappings[".kpxe"] = "application/octet-stream";
        provider.Mappings[".img"] = "application/octet-stream";
        provider.Mappings[".iso"] = "application/x-iso9660-image";
        return provider;
    }
}
