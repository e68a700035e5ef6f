using System.Text;
using System.Text.RegularExpressions;

namespace SharpPxe.TryBoot;

/// <summary>
/// Reads the VM's serial console (firmware, iPXE and Linux all write to it): cleans a line of terminal escapes,
/// and tells the marker, the kernel's first line and the firmware's ways of saying a boot failed.
/// </summary>
public static partial class TrySerial
{
    /// <summary>What the demo initramfs prints once the kernel runs its /init.</summary>
    public const string BootedMarker = "SHARPPXE-BOOTED";

    /// <summary>What the demo boot.ipxe prints when its kernel, initrd or boot command fails.</summary>
    public const string FailedMarker = "SHARPPXE-FAILED";

    /// <summary>Firmware and iPXE lines that mean the boot failed, with what they mean.</summary>
    private static readonly (string Text, string Meaning)[] s_failures =
    [
        (FailedMarker, "the boot script failed"),
        ("No bootable device", "the firmware found nothing to boot"),
        ("PXE-E", "the firmware's PXE client gave up"),
        ("Could not boot", "iPXE could not boot"),
        ("No configuration methods succeeded", "iPXE got no DHCP answer"),
        ("BdsDxe: failed to", "the firmware could not start what it downloaded"),
        ("Kernel panic", "the kernel panicked"),
        ("UEFI Interactive Shell", "the firmware fell back to its shell: no network boot worked"),
    ];

    /// <summary>The line without terminal escapes and control characters, trimmed.</summary>
    public static string Clean(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string text = EscapeRegex().Replace(raw, string.Empty);
        var clean = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c == '\t' || c >= ' ' && c != '\x7f')
            {
                clean.Append(c);
            }
        }

        return clean.ToString().Trim();
    }

    /// <summary>True for the line the initramfs prints when the network boot worked.</summary>
    public static bool IsBooted(string line) => line?.Contains(BootedMarker, StringComparison.Ordinal) == true;

    /// <summary>The marker line from the marker on (what came before it on the line is console noise).</summary>
    public static string MarkerText(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int at = line.IndexOf(BootedMarker, StringComparison.Ordinal);
        return at < 0 ? line : line[at..];
    }

    /// <summary>True for a line the kernel writes: its EFI stub, its banner or a timestamped message.</summary>
    public static bool IsKernelLine(string line) => line is not null
        && (line.StartsWith("EFI stub: ", StringComparison.Ordinal)
            || line.StartsWith("Linux version ", StringComparison.Ordinal)
            || KernelTimestampRegex().IsMatch(line));

    /// <summary>What a firmware or iPXE line says went wrong, or null for a line that is not a failure.</summary>
    public static string? FailureOf(string line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return null;
        }

        foreach ((string text, string meaning) in s_failures)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return meaning;
            }
        }

        return null;
    }

    /// <summary>CSI sequences (ESC [ ... final byte) and two-character escapes.</summary>
    [GeneratedRegex(@"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")]
    private static partial Regex EscapeRegex();

    [GeneratedRegex(@"^\[\s*\d+\.\d+\] ")]
    private static partial Regex KernelTimestampRegex();
}
