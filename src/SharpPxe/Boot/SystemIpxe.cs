namespace SharpPxe.Boot;

/// <summary>
/// The iPXE binaries the system's iPXE package installs (Debian's ipxe: /usr/lib/ipxe), served when the netboot
/// directory does not have its own copy. Debian builds none for ARM64.
/// </summary>
public static class SystemIpxe
{
    /// <summary>Where Debian's ipxe package puts its binaries.</summary>
    public const string Directory = "/usr/lib/ipxe";

    /// <summary>The names looked up there: BIOS chain loaders and the x64 UEFI builds.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["undionly.kpxe", "undionly.kkpxe", "ipxe.pxe", "ipxe.efi", "snponly.efi", "ipxe.lkrn"];

    /// <summary>The system's copy of <paramref name="name"/>, or null when it has none.</summary>
    public static string? Find(string name, string directory = Directory)
    {
        string bare = (name ?? string.Empty).Replace('\\', '/').TrimStart('/');
        if (!Names.Contains(bare, StringComparer.Ordinal))
        {
            return null;
        }

        string path = Path.Combine(directory, bare);
        return File.Exists(path) ? path : null;
    }
}
