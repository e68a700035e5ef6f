namespace SharpPxe.Boot;

/// <summary>
/// The boot policy's built-in rules, in order: static, ipxe-script, http-boot, netboot-file, arch, default.
/// Configured rules go in front of <see cref="All"/>.
/// </summary>
public static class BuiltInBootRules
{
    /// <summary>iPXE for BIOS over the PXE ROM's UNDI driver.</summary>
    public const string UndionlyKpxe = "undionly.kpxe";

    /// <summary>PyPXE's name for its copy of <see cref="UndionlyKpxe"/>; preferred when the netboot dir has
    /// it.</summary>
    public const string ChainloadKpxe = "chainload.kpxe";

    /// <summary>iPXE for x64 UEFI.</summary>
    public const string IpxeX64Efi = "ipxe.efi";

    /// <summary>iPXE for 32-bit x86 UEFI (iPXE's bin-i386-efi/ipxe.efi, renamed to sit beside the x64 one).</summary>
    public const string IpxeIa32Efi = "ipxe-i386.efi";

    /// <summary>iPXE for 32-bit ARM UEFI (bin-arm32-efi/ipxe.efi).</summary>
    public const string IpxeArm32Efi = "ipxe-arm32.efi";

    /// <summary>iPXE for 64-bit ARM UEFI (bin-arm64-efi/ipxe.efi).</summary>
    public const string IpxeArm64Efi = "ipxe-arm64.efi";

    /// <summary>PyPXE's file for 32-bit x86 UEFI without iPXE.</summary>
    public const string SyslinuxEfi32 = "syslinux.efi32";

    /// <summary>PyPXE's file for x64 UEFI without iPXE.</summary>
    public const string SyslinuxEfi64 = "syslinux.efi64";

    /// <summary>A static binding's <c>rom</c>, for a client that is not (to the policy) iPXE.</summary>
    public static IBootRule Static { get; } = new StaticRule();

    /// <summary>With --ipxe, iPXE clients get the script's URL.</summary>
    public static IBootRule IpxeScript { get; } = new IpxeScriptRule();

    /// <summary>UEFI HTTP boot clients get an absolute http:// URL and the "HTTPClient" echo.</summary>
    public static IBootRule HttpBoot { get; } = new HttpBootRule();

    /// <summary>Without --ipxe, an explicit --netboot-file goes to every (non-HTTP) client, as PyPXE
    /// intended.</summary>
    public static IBootRule NetbootFile { get; } = new NetbootFileRule();

    /// <summary>By option 93: iPXE's binary for the architecture with --ipxe, PyPXE's map without.</summary>
    public static IBootRule Architecture { get; } = new ArchitectureRule();

    /// <summary>Anything else gets the configured default file.</summary>
    public static IBootRule Default { get; } = new DefaultRule();

    /// <summary>The built-in rules in the order they are tried.</summary>
    public static IReadOnlyList<IBootRule> All { get; } =
        [Static, IpxeScript, HttpBoot, NetbootFile, Architecture, Default];

    /// <summary>
    /// The iPXE binary for a (PXE or HTTP) architecture class: undionly.kpxe (chainload.kpxe when present),
    /// ipxe.efi, ipxe-i386.efi, ipxe-arm32.efi, ipxe-arm64.efi; the default file for Unknown.
    /// </summary>
    public static string IpxeBinary(ClientArchitectureClass architecture, BootContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ClientArchitecture.ToPxeBoot(architecture) switch
        {
            ClientArchitectureClass.Bios => context.FileExists(ChainloadKpxe) ? ChainloadKpxe : UndionlyKpxe,
            ClientArchitectureClass.UefiIa32 => IpxeIa32Efi,
            ClientArchitectureClass.UefiX64 => context.Options.IpxeEfi,
            ClientArchitectureClass.UefiArm32 => IpxeArm32Efi,
            ClientArchitectureClass.UefiArm64 => IpxeArm64Efi,
            _ => context.Options.EffectiveNetbootFile,
        };
    }

    /// <summary>
    /// PyPXE's map without iPXE (dhcp.py's option 93 branch, which never ran there): syslinux.efi32 for IA32 UEFI,
    /// syslinux.efi64 for x64 UEFI, the default file (pxelinux.0 unless configured) for everything else.
    /// </summary>
    public static string PyPxeFile(ClientArchitectureClass architecture, BootContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ClientArchitecture.ToPxeBoot(architecture) switch
        {
            ClientArchitectureClass.UefiIa32 => SyslinuxEfi32,
            ClientArchitectureClass.UefiX64 => SyslinuxEfi64,
            _ => context.Options.EffectiveNetbootFile,
        };
    }

    private sealed class StaticRule : IBootRule
    {
        public string Name => "static";

        // With --ipxe an iPXE client skips its rom (usually the iPXE binary itself: it would load forever) and gets
        // the script. Without --ipxe, iPXE is just the firmware's PXE ROM and gets what any PXE client gets.
        public bool Matches(BootRequest request, BootContext context) =>
            !string.IsNullOrEmpty(context.FindBinding(request.Mac)?.BootFile)
            && !(context.Options.Ipxe && context.IsIpxe(request));

        public BootDecision Decide(BootRequest request, BootContext context)
        {
            string rom = context.FindBinding(request.Mac)?.BootFile ?? string.Empty;

            // A UEFI HTTP boot client can only follow a URL.
            return ClientArchitecture.IsHttpBoot(ClientArchitecture.Classify(request))
                ? context.Decision(context.HttpUrl(rom), Name, httpClient: true)
                : context.Decision(rom, Name);
        }
    }

    private sealed class IpxeScriptRule : IBootRule
    {
        public string Name => "ipxe-script";

        public bool Matches(BootRequest request, BootContext context) =>
            context.Options.Ipxe && context.IsIpxe(request);

        public BootDecision Decide(BootRequest request, BootContext context)
        {
            // PyPXE dhcp.py builds the same URLs but without the HTTP port (pypxe.md §3.3).
            string script = context.Options.EffectiveNetbootFile;
            string url = context.Options.Http.Enabled ? context.HttpUrl(script) : context.TftpUrl(script);
            return context.Decision(url, Name);
        }
    }

    private sealed class HttpBootRule : IBootRule
    {
        public string Name => "http-boot";

        public bool Matches(BootRequest request, BootContext context) =>
            ClientArchitecture.IsHttpBoot(ClientArchitecture.Classify(request));

        public BootDecision Decide(BootRequest request, BootContext context)
        {
            ClientArchitectureClass architecture = ClientArchitecture.Classify(request);
            string file = context.Options.Ipxe
                ? IpxeBinary(architecture, context)
                : PyPxeFile(architecture, context);
            return context.Decision(context.HttpUrl(file), Name, httpClient: true);
        }
    }

    private sealed class NetbootFileRule : IBootRule
    {
        public string Name => "netboot-file";

        public bool Matches(BootRequest request, BootContext context) =>
            !context.Options.Ipxe && context.Options.NetbootFile.Length > 0;

        public BootDecision Decide(BootRequest request, BootContext context) =>
            context.Decision(context.Options.NetbootFile, Name);
    }

    private sealed class ArchitectureRule : IBootRule
    {
        public string Name => "arch";

        public bool Matches(BootRequest request, BootContext context) =>
            ClientArchitecture.Classify(request) is ClientArchitectureClass.Bios or ClientArchitectureClass.UefiIa32
                or ClientArchitectureClass.UefiX64 or ClientArchitectureClass.UefiArm32
                or ClientArchitectureClass.UefiArm64;

        public BootDecision Decide(BootRequest request, BootContext context)
        {
            ClientArchitectureClass architecture = ClientArchitecture.Classify(request);
            string file = context.Options.Ipxe
                ? IpxeBinary(architecture, context)
                : PyPxeFile(architecture, context);
            return context.Decision(file, Name);
        }
    }

    private sealed class DefaultRule : IBootRule
    {
        public string Name => "default";

        public bool Matches(BootRequest request, BootContext context) => true;

        public BootDecision Decide(BootRequest request, BootContext context) =>
            context.Decision(context.Options.EffectiveNetbootFile, Name);
    }
}
