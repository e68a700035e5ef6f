using System.Globalization;
using SharpPxe.Config;

namespace SharpPxe.Boot;

/// <summary>
/// What the boot rules decide with: the configuration, the static bindings, a view of the netboot directory, and
/// the questions every rule asks (is this iPXE, which architecture, where is the file server).
/// </summary>
public sealed class BootContext
{
    /// <summary>The option 60 prefix of UEFI HTTP boot clients (UEFI specification, "HTTP Boot").</summary>
    public const string HttpClientVendorClass = "HTTPClient";

    private const int DefaultHttpPort = 80;

    private readonly Func<string, bool> _fileExists;

    /// <param name="options">The merged configuration.</param>
    /// <param name="bindings">Static bindings by MAC (aa:bb:cc:dd:ee:ff), as <see cref="StaticBindingFile"/>
    /// loads them.</param>
    /// <param name="fileExists">Whether a file name, relative to the netboot directory, exists there.</param>
    public BootContext(
        SharpPxeOptions options, IReadOnlyDictionary<string, StaticBinding> bindings, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(fileExists);
        Options = options;
        Bindings = bindings;
        _fileExists = fileExists;
    }

    public SharpPxeOptions Options { get; }

    public IReadOnlyDictionary<string, StaticBinding> Bindings { get; }

    /// <summary>Whether <paramref name="name"/> exists in the netboot directory.</summary>
    public bool FileExists(string name) => _fileExists(name);

    /// <summary>
    /// True when the client is iPXE: option 77 names the class "iPXE" (raw or RFC 3004 list, already decoded in
    /// <see cref="BootRequest.UserClasses"/>), or option 175 is present and <see cref="DhcpOptions.IpxeOption175"/>
    /// is on (dnsmasq's test; off by default because other firmware may use 175).
    /// </summary>
    public bool IsIpxe(BootRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (string userClass in request.UserClasses)
        {
            if (string.Equals(userClass, Dhcp.DhcpUserClass.Ipxe, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return request.HasIpxeOption175 && Options.Dhcp.IpxeOption175;
    }

    /// <summary>The static binding for a MAC in any common spelling, or null.</summary>
    public StaticBinding? FindBinding(string mac)
    {
        if (string.IsNullOrEmpty(mac))
        {
            return null;
        }

        if (Bindings.TryGetValue(mac, out StaticBinding? binding))
        {
            return binding;
        }

        return MacAddressText.TryNormalize(mac, out string normalized)
            && Bindings.TryGetValue(normalized, out binding) ? binding : null;
    }

    /// <summary>
    /// http://&lt;file server&gt;[:port]/&lt;file&gt;; the port is left out only when it is 80. A name that is
    /// already a URL is returned as it is.
    /// </summary>
    public string HttpUrl(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (IsUrl(file))
        {
            return file;
        }

        int port = Options.Http.Port;
        string authority = port == DefaultHttpPort
            ? FileServerText
            : FileServerText + ":" + port.ToString(CultureInfo.InvariantCulture);
        return "http://" + authority + "/" + file.TrimStart('/');
    }

    /// <summary>tftp://&lt;file server&gt;/&lt;file&gt;; a name that is already a URL is returned as it is.</summary>
    public string TftpUrl(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return IsUrl(file) ? file : "tftp://" + FileServerText + "/" + file.TrimStart('/');
    }

    /// <summary>A decision with this configuration's next server (<see cref="DhcpOptions.FileServer"/>).</summary>
    public BootDecision Decision(string? bootFile, string rule, bool httpClient = false) =>
        new(bootFile, Options.Dhcp.FileServer, httpClient, rule);

    /// <summary>True when the text has a scheme ("http://", "tftp://", ...).</summary>
    public static bool IsUrl(string file) =>
        file is not null && file.Contains("://", StringComparison.Ordinal);

    private string FileServerText => Options.Dhcp.FileServer.ToString();
}
