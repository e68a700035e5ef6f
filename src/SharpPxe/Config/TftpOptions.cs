using System.Net;

namespace SharpPxe.Config;

/// <summary>The <c>tftp</c> section.</summary>
public sealed class TftpOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = 69;

    public IPAddress ServerIp { get; set; } = IPAddress.Any;

    public int MaxBlockSize { get; set; } = 65464;

    public int MaxWindowSize { get; set; } = 64;

    public int MaxInFlight { get; set; } = 65536;

    public int Timeout { get; set; } = 1;

    public int Retries { get; set; } = 5;

    public int MaxTransfers { get; set; } = 1000;

    public bool CaseInsensitive { get; set; }

    public int CacheMegabytes { get; set; } = 64;
}
