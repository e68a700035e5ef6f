namespace SharpPxe.Boot;

/// <summary>
/// What the boot policy makes of an option 93 code: which firmware, and whether it boots over HTTP.
/// See <see cref="ClientArchitecture.Classify(ushort?)"/>.
/// </summary>
public enum ClientArchitectureClass
{
    /// <summary>No option 93, or a code the policy has no file for (RISC-V, U-Boot, PowerPC, ...).</summary>
    Unknown = 0,

    /// <summary>x86 BIOS PXE (code 0).</summary>
    Bios,

    /// <summary>32-bit x86 UEFI PXE (code 6).</summary>
    UefiIa32,

    /// <summary>x64 UEFI PXE (code 7, and code 9 which x64 firmware often sends).</summary>
    UefiX64,

    /// <summary>32-bit ARM UEFI PXE (code 10).</summary>
    UefiArm32,

    /// <summary>64-bit ARM UEFI PXE (code 11).</summary>
    UefiArm64,

    /// <summary>32-bit x86 UEFI HTTP boot (code 15).</summary>
    UefiIa32Http,

    /// <summary>x64 UEFI HTTP boot (code 16, and the EBC code 17).</summary>
    UefiX64Http,

    /// <summary>32-bit ARM UEFI HTTP boot (code 18).</summary>
    UefiArm32Http,

    /// <summary>64-bit ARM UEFI HTTP boot (code 19).</summary>
    UefiArm64Http,
}
