using System.Net;

namespace SharpPxe.Config;

/// <summary>The <c>http</c> section.</summary>
public sealed class HttpOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = 80;

    public IPAddress ServerIp { get; set; } = IPAddress.Any;
}
