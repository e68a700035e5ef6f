using System.Globalization;
using System.Net;
using SharpPxe.Boot;
using SharpPxe.Config;

namespace SharpPxe.Tests.Boot;

/// <summary>
/// Named clients and configurations for the boot policy table (options as LAB.md, "Exact DHCP options sent by
/// the clients", lists them), and a policy builder over a fake netboot directory.
/// </summary>
internal static class BootClients
{
    public const string FileServer = "198.18.0.2";

    public const string BoundMac = "52:54:00:c0:02:b1";

    public const string BoundRom = "custom.kpxe";

    private const string OtherMac = "52:54:00:c0:02:e1";

    private const string IpxeClass = "iPXE";

    public static BootRequest Request(string client) => client switch
    {
        "bios-pxe" => Pxe(0, "PXEClient:Arch:00000:UNDI:002001"),
        "bios-plain-rom" => Pxe(0, "PXEClient:Arch:00000:UNDI:002001") with { UserClasses = ["LAB-PLAIN-PXE"] },
        "bios-ipxe" => Ipxe(0, "PXEClient:Arch:00000:UNDI:002001"),
        "ovmf-x64" => Pxe(7, "PXEClient:Arch:00007:UNDI:003000"),
        "ipxe-efi" => Ipxe(7, "PXEClient:Arch:00007:UNDI:003010"),
        "ipxe-listed" => Pxe(7, "PXEClient:Arch:00007:UNDI:003010") with { UserClasses = ["lab", IpxeClass] },
        "arch9" => Pxe(9, "PXEClient:Arch:00009:UNDI:003000"),
        "ia32" => Pxe(6, "PXEClient:Arch:00006:UNDI:003000"),
        "arm32" => Pxe(10, "PXEClient:Arch:00010:UNDI:003000"),
        "arm64" => Pxe(11, "PXEClient:Arch:00011:UNDI:003000"),
        "http-x64" => Pxe(16, "HTTPClient:Arch:00016:UNDI:003000"),
        "http-arm64" => Pxe(19, "HTTPClient:Arch:00019:UNDI:003000"),
        "http-vendor-only" => Pxe(null, "HTTPClient"),
        "arch42" => Pxe(42, "PXEClient:Arch:00042:UNDI:003000"),
        "no-arch" => Pxe(null, null),
        "175-only" => Pxe(0, "PXEClient:Arch:00000:UNDI:002001") with { HasIpxeOption175 = true },
        "static-pxe" => Pxe(0, "PXEClient:Arch:00000:UNDI:002001") with { Mac = BoundMac },
        "static-ipxe" => Ipxe(0, "PXEClient:Arch:00000:UNDI:002001") with { Mac = BoundMac },
        "static-http" => Pxe(16, "HTTPClient:Arch:00016:UNDI:003000") with { Mac = BoundMac },
        _ => throw new ArgumentOutOfRangeException(nameof(client), client, "no such client in the table"),
    };

    /// <summary>
    /// A configuration from comma-separated tokens: ipxe, http (port 80), http:PORT, chainload (the netboot dir
    /// has chainload.kpxe), 175 (dhcp.ipxeOption175), file:NAME (--netboot-file).
    /// </summary>
    public static BootPolicy Policy(string config)
    {
        var options = new SharpPxeOptions();
        options.Dhcp.FileServer = IPAddress.Parse(FileServer);
        var files = new HashSet<string>(StringComparer.Ordinal) { "pxelinux.0", "undionly.kpxe", "ipxe.efi" };
        foreach (string token in config.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "ipxe")
            {
                options.Ipxe = true;
            }
            else if (token == "http")
            {
                options.Http.Enabled = true;
            }
            else if (token.StartsWith("http:", StringComparison.Ordinal))
            {
                options.Http.Enabled = true;
                options.Http.Port = int.Parse(token["http:".Length..], CultureInfo.InvariantCulture);
            }
            else if (token == "chainload")
            {
                files.Add("chainload.kpxe");
            }
            else if (token == "175")
            {
                options.Dhcp.IpxeOption175 = true;
            }
            else if (token.StartsWith("file:", StringComparison.Ordinal))
            {
                options.NetbootFile = token["file:".Length..];
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(config), token, "unknown configuration token");
            }
        }

        return new BootPolicy(options, Bindings(), files.Contains);
    }

    public static IReadOnlyDictionary<string, StaticBinding> Bindings() => new Dictionary<string, StaticBinding>
    {
        [BoundMac] = new(BoundMac, IPAddress.Parse("198.18.0.50"), null, null, [], BoundRom),
        ["52:54:00:c0:02:b2"] = new("52:54:00:c0:02:b2", IPAddress.Parse("198.18.0.51"), null, null, [], null),
    };

    private static BootRequest Pxe(ushort? architecture, string? vendorClass) =>
        new(OtherMac, architecture, [], vendorClass, HasIpxeOption175: false, ClientAddress: null);

    private static BootRequest Ipxe(ushort architecture, string vendorClass) =>
        new(OtherMac, architecture, [IpxeClass], vendorClass, HasIpxeOption175: true, ClientAddress: null);
}
