namespace SharpPxe.Tests.Dhcp;

/// <summary>
/// DHCPDISCOVERs laid out as the lab's clients sent them (shared/lab/LAB.md, "Exact DHCP options
/// sent by the clients"; option values from results/dnsmasq-198.18-uefi-check/uefi.json).
/// </summary>
internal static class ClientVectors
{
    public const string Mac = "525400c002e1";

    public const string Cookie = "63825363";

    /// <summary>
    /// The fixed header of a client's BOOTREQUEST: op htype hlen hops, xid, secs, flags, ciaddr,
    /// yiaddr, siaddr, giaddr, chaddr (16), sname (64), file (128).
    /// </summary>
    public static string RequestHeader(string xid, string secs, string flags) =>
        "01" + "01" + "06" + "00"
        + xid
        + secs
        + flags
        + "00000000"
        + "00000000"
        + "00000000"
        + "00000000"
        + Mac + Hex.Zeros(10)
        + Hex.Zeros(64)
        + Hex.Zeros(128);

    public const string OvmfParameterRequestList =
        "0102030405060c0d0f111216171c28292a2b3233363a3b3c4243618081828384858687";

    public const string IpxeParameterRequestList = "010306070c0f111a2b3c4243778081828384858687afcb";

    public const string MachineId = "00010200c00000004080005254c00002e1";

    /// <summary>iPXE's option 175 as the EFI build sent it: bus-id PCI 1af4:1000, version 1.0.0, features.</summary>
    public const string IpxeEncapsulatedEfi =
        "b105011af41000" + "eb03010000" + "170101" + "240101" + "130101" + "110101" + "270101" + "290101"
        + "150101" + "1b0101" + "120101";

    /// <summary>OVMF (edk2) UEFI x64 PXE: broadcast flag, secs 0, options 53,57,55,97,94,93,60.</summary>
    public static byte[] OvmfDiscover() => Hex.Bytes(
        RequestHeader("76a80b0e", "0000", "8000"),
        Cookie,
        "35 01 01",
        "39 02 05c0",
        "37 23 " + OvmfParameterRequestList,
        "61 11 " + MachineId,
        "5e 03 010300",
        "5d 02 0007",
        "3c 20 " + Hex.Ascii("PXEClient:Arch:00007:UNDI:003000"),
        "ff");

    /// <summary>iPXE EFI: unicast, secs 4, options 53,57,93,94,60,77,55,175,61,97; 77 is raw "iPXE".</summary>
    public static byte[] IpxeEfiDiscover() => Hex.Bytes(
        RequestHeader("9a40e016", "0004", "0000"),
        Cookie,
        "35 01 01",
        "39 02 05c0",
        "5d 02 0007",
        "5e 03 01030a",
        "3c 20 " + Hex.Ascii("PXEClient:Arch:00007:UNDI:003010"),
        "4d 04 69505845",
        "37 17 " + IpxeParameterRequestList,
        "af 27 " + IpxeEncapsulatedEfi,
        "3d 07 01" + Mac,
        "61 11 " + MachineId,
        "ff");

    /// <summary>
    /// The BIOS iPXE ROM: arch 0, UNDI 2.1; 77 is <paramref name="userClass"/> ("iPXE", or
    /// "LAB-PLAIN-PXE" for the lab's PLAIN_PXE ROM). Option 175 is reduced to its bus-id (8086:100e).
    /// </summary>
    public static byte[] IpxeBiosDiscover(string userClass = "iPXE") => Hex.Bytes(
        RequestHeader("1b2c3d4e", "0004", "0000"),
        Cookie,
        "35 01 01",
        "39 02 05c0",
        "5d 02 0000",
        "5e 03 010201",
        "3c 20 " + Hex.Ascii("PXEClient:Arch:00000:UNDI:002001"),
        "4d " + userClass.Length.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)
            + Hex.Ascii(userClass),
        "37 17 " + IpxeParameterRequestList,
        "af 07 b105018086100e",
        "3d 07 01" + Mac,
        "61 11 " + MachineId,
        "ff");
}
