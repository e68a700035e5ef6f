using System.Net;

namespace SharpPxe.Config;

/// <summary>The <c>nbd</c> section.</summary>
public sealed class NbdOptions
{
    /// <summary>The exported image, inside the netboot directory; empty means NBD is off.</summary>
    public string BlockDevice { get; set; } = string.Empty;

    public bool Write { get; set; }

    public bool Cow { get; set; }

    public bool CowInMem { get; set; }

    public bool CopyToRam { get; set; }

    public IPAddress ServerIp { get; set; } = IPAddress.Any;

    public int Port { get; set; } = 10809;

    public bool Enabled => BlockDevice.Length > 0;

    /// <summary>Copy-on-write implies write, as in PyPXE (server.py: COW sets NBD_WRITE).</summary>
    public bool EffectiveWrite => Write || Cow;
}
