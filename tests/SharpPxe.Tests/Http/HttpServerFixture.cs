using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SharpPxe.Boot;
using SharpPxe.Config;
using SharpPxe.Diagnostics;
using SharpPxe.Http;

namespace SharpPxe.Tests.Http;

/// <summary>
/// An <see cref="HttpBootService"/> in this process on 127.0.0.1 at an ephemeral port, serving a netboot
/// directory of fixed files (a 1 MiB file from a fixed seed, text, a name with a space, a subdirectory, an
/// iPXE template, and a symbolic link to a file in another directory, outside the root). The machine at
/// 127.0.0.1 is recorded with a known MAC, architecture and host name, so templates render known values.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime.DisposeAsync stops and disposes them.")]
public sealed class HttpServerFixture : IAsyncLifetime
{
    public const string BigFile = "big.bin";
    public const string TextFile = "readme.txt";
    public const string SpacedFile = "with space.txt";
    public const string SubFile = "sub/dir/inner.txt";
    public const string TemplateFile = "boot.ipxe";
    public const string LinkOut = "escape.txt";

    /// <summary>One of the names the system's iPXE is served under, of which the root has its own copy.</summary>
    public const string OwnIpxe = "ipxe.pxe";
    public const string OwnIpxeText = "the netboot directory's own ipxe.pxe\n";
    public const string OutsideFile = "secret.txt";
    public const int BigSize = 1 << 20;

    public const string Mac = "52:54:00:12:34:56";
    public const ushort Architecture = 7;
    public const string HostName = "node-7";

    /// <summary>What the file outside the root holds: a response that contains it is an escape.</summary>
    public const string OutsideMarker = "OUTSIDE-THE-NETBOOT-ROOT";

    /// <summary>Every placeholder, one with spaces inside the braces, iPXE's own settings, and a typo.</summary>
    public const string TemplateText =
        "#!ipxe\n"
        + "echo mac={{mac}} hyphen={{mac_hyphen}} ip={{ip}}\n"
        + "echo arch={{arch}} name={{arch_name}} host={{ hostname }}\n"
        + "echo server={{server}} port={{http_port}}\n"
        + "chain {{http_base}}/menu.ipxe?mac=${net0/mac}&uuid=${uuid} {{unknown_name}}\n";

    /// <summary>Every file's modification time, so Last-Modified is known in advance.</summary>
    public static readonly DateTime Modified = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly TempDir _root = new();
    private readonly TempDir _outside = new();
    private HttpBootService? _service;

    public string Root => _root.Path;

    /// <summary>The server's counters.</summary>
    public CounterRegistry Counters { get; } = new();

    /// <summary>
    /// The HTTP gauge <paramref name="name"/> once it reaches <paramref name="atLeast"/>, or after 10 s whatever it
    /// is: the server moves a gauge after its send completes, which may be after the client has every byte.
    /// </summary>
    public async Task<long> WaitForGaugeAsync(string name, long atLeast)
    {
        ServiceCounters http = Counters.For("http");
        await Poll.UntilAsync(() => http.Gauge(name) >= atLeast, TimeSpan.FromSeconds(10));
        return http.Gauge(name);
    }

    /// <summary>The directory outside the root that the link points into.</summary>
    public string Outside => _outside.Path;

    public IPEndPoint EndPoint => _service?.LocalEndPoint ?? throw new InvalidOperationException("Not started.");

    public string BaseUrl => $"http://127.0.0.1:{EndPoint.Port.ToString(CultureInfo.InvariantCulture)}";

    public async Task InitializeAsync()
    {
        File.WriteAllBytes(Path.Combine(Root, BigFile), MakeBytes(BigSize, seed: 0x5EED_1234_ABCD_0001UL));
        _root.File(TextFile, "SharpPXE HTTP boot test file.\nSecond line.\n");
        _root.File(SpacedFile, "a name with a space\n");
        _root.File(SubFile, "inside a subdirectory\n");
        _root.File(TemplateFile, TemplateText);
        _root.File(OwnIpxe, OwnIpxeText);
        foreach (string name in new[] { BigFile, TextFile, SpacedFile, SubFile, TemplateFile, OwnIpxe })
        {
            File.SetLastWriteTimeUtc(Path.Combine(Root, name), Modified);
        }

        string outside = _outside.File(OutsideFile, OutsideMarker + "\n");
        File.CreateSymbolicLink(Path.Combine(Root, LinkOut), outside);

        SharpPxeOptions options = ConfigJson.ToOptions(new ConfigBuilder().Values);
        options.Http.Enabled = true;
        options.Http.ServerIp = IPAddress.Loopback;
        options.Http.Port = 0;
        options.Tftp.Enabled = false;
        options.NetbootDir = Root;
        var machines = new MachineDirectory();
        machines.Record(new MachineInfo(Mac, IPAddress.Loopback, Architecture, HostName));
        _service = new HttpBootService(options, Counters, machines, NullLoggerFactory.Instance);
        await _service.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            await _service.DisposeAsync();
        }

        _root.Dispose();
        _outside.Dispose();
    }

    /// <summary>The bytes of a file under the root.</summary>
    public byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Root, name));

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));

    /// <summary>The URL of <paramref name="path"/> (already in URL form, starting with a slash).</summary>
    public string Url(string path) => BaseUrl + path;

    /// <summary>The template as the server should render it for the recorded machine.</summary>
    public string ExpectedRendering()
    {
        string port = EndPoint.Port.ToString(CultureInfo.InvariantCulture);
        return new StringBuilder()
            .Append("#!ipxe\n")
            .Append("echo mac=52:54:00:12:34:56 hyphen=01-52-54-00-12-34-56 ip=127.0.0.1\n")
            .Append("echo arch=7 name=x64-uefi host=node-7\n")
            .Append(CultureInfo.InvariantCulture, $"echo server=127.0.0.1 port={port}\n")
            .Append(CultureInfo.InvariantCulture, $"chain http://127.0.0.1:{port}/menu.ipxe?mac=${{net0/mac}}")
            .Append("&uuid=${uuid} {{unknown_name}}\n")
            .ToString();
    }

    /// <summary>xorshift64*: the same bytes for the same seed on every run and platform.</summary>
    public static byte[] MakeBytes(int length, ulong seed)
    {
        byte[] data = new byte[length];
        ulong state = seed;
        for (int i = 0; i < length; i += 8)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            ulong value = state * 0x2545F4914F6CDD1DUL;
            for (int j = 0; j < 8 && i + j < length; j++)
            {
                data[i + j] = (byte)(value >> (8 * j));
            }
        }

        return data;
    }
}
