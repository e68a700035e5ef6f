using System.Net;

namespace SharpPxe.Config;

/// <summary>The <c>tftp</c> section.</summary>
public sealed class TftpOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = 69;

    public IPAddress ServerIp { get; set; } = IPAddress.Any;
}
