using System.Globalization;

namespace SharpPxe.Boot;

/// <summary>
/// Option 93, client system architecture (RFC 4578 §2.1; the codes are kept in IANA's "Processor Architecture
/// Types" registry, which RFC 4578's errata of 2016 follows: 7 is x64 UEFI, 9 is EBC).
/// </summary>
/// <remarks>
/// Code 9 is classed as x64 UEFI: before the errata some x64 firmware sent 9 for itself, and no firmware boots
/// EBC over the network in practice. Code 17 (EBC over HTTP) is classed as x64 HTTP boot for the same reason.
/// Codes without a file in the policy (RISC-V, U-Boot, PowerPC, LoongArch, ...) are named for logs but classed
/// <see cref="ClientArchitectureClass.Unknown"/>. Nothing here throws.
/// </remarks>
public static class ClientArchitecture
{
    /// <summary>x86 BIOS.</summary>
    public const ushort X86Bios = 0;

    /// <summary>32-bit x86 UEFI.</summary>
    public const ushort X86Uefi = 6;

    /// <summary>x64 UEFI.</summary>
    public const ushort X64Uefi = 7;

    /// <summary>EFI byte code; sent by some x64 firmware.</summary>
    public const ushort Ebc = 9;

    /// <summary>32-bit ARM UEFI.</summary>
    public const ushort Arm32Uefi = 10;

    /// <summary>64-bit ARM UEFI.</summary>
    public const ushort Arm64Uefi = 11;

    /// <summary>32-bit x86 UEFI boot from HTTP.</summary>
    public const ushort X86UefiHttp = 15;

    /// <summary>x64 UEFI boot from HTTP.</summary>
    public const ushort X64UefiHttp = 16;

    /// <summary>EFI byte code boot from HTTP.</summary>
    public const ushort EbcHttp = 17;

    /// <summary>32-bit ARM UEFI boot from HTTP.</summary>
    public const ushort Arm32UefiHttp = 18;

    /// <summary>64-bit ARM UEFI boot from HTTP.</summary>
    public const ushort Arm64UefiHttp = 19;

    /// <summary>The class of an option 93 code; null (no option) and unknown codes give Unknown.</summary>
    public static ClientArchitectureClass Classify(ushort? code) => code switch
    {
        X86Bios => ClientArchitectureClass.Bios,
        X86Uefi => ClientArchitectureClass.UefiIa32,
        X64Uefi or Ebc => ClientArchitectureClass.UefiX64,
        Arm32Uefi => ClientArchitectureClass.UefiArm32,
        Arm64Uefi => ClientArchitectureClass.UefiArm64,
        X86UefiHttp => ClientArchitectureClass.UefiIa32Http,
        X64UefiHttp or EbcHttp => ClientArchitectureClass.UefiX64Http,
        Arm32UefiHttp => ClientArchitectureClass.UefiArm32Http,
        Arm64UefiHttp => ClientArchitectureClass.UefiArm64Http,
        _ => ClientArchitectureClass.Unknown,
    };

    /// <summary>
    /// The client's architecture class from option 93, made an HTTP boot class when option 60 starts with
    /// "HTTPClient". An "HTTPClient" without option 93 counts as x64 UEFI HTTP boot, the common case.
    /// </summary>
    public static ClientArchitectureClass Classify(BootRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientArchitectureClass architecture = Classify(request.Architecture);
        if (request.VendorClass is not null
            && request.VendorClass.StartsWith(BootContext.HttpClientVendorClass, StringComparison.Ordinal))
        {
            return request.Architecture is null
                ? ClientArchitectureClass.UefiX64Http
                : ToHttpBoot(architecture);
        }

        return architecture;
    }

    /// <summary>True for the UEFI HTTP boot classes.</summary>
    public static bool IsHttpBoot(ClientArchitectureClass architecture) => architecture
        is ClientArchitectureClass.UefiIa32Http or ClientArchitectureClass.UefiX64Http
        or ClientArchitectureClass.UefiArm32Http or ClientArchitectureClass.UefiArm64Http;

    /// <summary>True for the UEFI classes, PXE or HTTP.</summary>
    public static bool IsUefi(ClientArchitectureClass architecture) =>
        architecture is not (ClientArchitectureClass.Unknown or ClientArchitectureClass.Bios);

    /// <summary>The HTTP boot class of the same processor (UEFI PXE classes only); others unchanged.</summary>
    public static ClientArchitectureClass ToHttpBoot(ClientArchitectureClass architecture) => architecture switch
    {
        ClientArchitectureClass.UefiIa32 => ClientArchitectureClass.UefiIa32Http,
        ClientArchitectureClass.UefiX64 => ClientArchitectureClass.UefiX64Http,
        ClientArchitectureClass.UefiArm32 => ClientArchitectureClass.UefiArm32Http,
        ClientArchitectureClass.UefiArm64 => ClientArchitectureClass.UefiArm64Http,
        _ => architecture,
    };

    /// <summary>The PXE class of the same processor (HTTP boot classes only); others unchanged.</summary>
    public static ClientArchitectureClass ToPxeBoot(ClientArchitectureClass architecture) => architecture switch
    {
        ClientArchitectureClass.UefiIa32Http => ClientArchitectureClass.UefiIa32,
        ClientArchitectureClass.UefiX64Http => ClientArchitectureClass.UefiX64,
        ClientArchitectureClass.UefiArm32Http => ClientArchitectureClass.UefiArm32,
        ClientArchitectureClass.UefiArm64Http => ClientArchitectureClass.UefiArm64,
        _ => architecture,
    };

    /// <summary>
    /// A short name for logs: "x86-bios", "x64-uefi", "arm64-uefi-http", ...; "none" without option 93 and
    /// "arch-N" for a code the IANA registry does not list.
    /// </summary>
    public static string Name(ushort? code) => code switch
    {
        null => "none",
        X86Bios => "x86-bios",
        1 => "nec-pc98",
        2 => "itanium",
        3 => "dec-alpha",
        4 => "arc-x86",
        5 => "intel-lean-client",
        X86Uefi => "ia32-uefi",
        X64Uefi => "x64-uefi",
        8 => "xscale-uefi",
        Ebc => "ebc-uefi",
        Arm32Uefi => "arm32-uefi",
        Arm64Uefi => "arm64-uefi",
        12 => "powerpc-open-firmware",
        13 => "powerpc-epapr",
        14 => "power-opal-v3",
        X86UefiHttp => "ia32-uefi-http",
        X64UefiHttp => "x64-uefi-http",
        EbcHttp => "ebc-uefi-http",
        Arm32UefiHttp => "arm32-uefi-http",
        Arm64UefiHttp => "arm64-uefi-http",
        20 => "x86-bios-http",
        21 => "arm32-uboot",
        22 => "arm64-uboot",
        23 => "arm32-uboot-http",
        24 => "arm64-uboot-http",
        25 => "riscv32-uefi",
        26 => "riscv32-uefi-http",
        27 => "riscv64-uefi",
        28 => "riscv64-uefi-http",
        29 => "riscv128-uefi",
        30 => "riscv128-uefi-http",
        31 => "s390-basic",
        32 => "s390-extended",
        33 => "mips32-uefi",
        34 => "mips64-uefi",
        35 => "sunway32-uefi",
        36 => "sunway64-uefi",
        37 => "loongarch32-uefi",
        38 => "loongarch32-uefi-http",
        39 => "loongarch64-uefi",
        40 => "loongarch64-uefi-http",
        41 => "arm-rpiboot",
        _ => "arch-" + code.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A short name for a class, for logs: "x64-uefi", "bios", "unknown", ...</summary>
    public static string Name(ClientArchitectureClass architecture) => architecture switch
    {
        ClientArchitectureClass.Bios => "x86-bios",
        ClientArchitectureClass.UefiIa32 => "ia32-uefi",
        ClientArchitectureClass.UefiX64 => "x64-uefi",
        ClientArchitectureClass.UefiArm32 => "arm32-uefi",
        ClientArchitectureClass.UefiArm64 => "arm64-uefi",
        ClientArchitectureClass.UefiIa32Http => "ia32-uefi-http",
        ClientArchitectureClass.UefiX64Http => "x64-uefi-http",
        ClientArchitectureClass.UefiArm32Http => "arm32-uefi-http",
        ClientArchitectureClass.UefiArm64Http => "arm64-uefi-http",
        _ => "unknown",
    };
}
