using System.Globalization;

namespace SharpPxe.Config;

/// <summary>
/// Reads MAC addresses the way people write them: any case, with colons, dashes, dots (aabb.ccdd.eeff) or no
/// separator at all; writes them one way: lower case with colons.
/// </summary>
public static class MacAddressText
{
    private const int MacLength = 6;

    /// <summary>Normalises <paramref name="text"/> to aa:bb:cc:dd:ee:ff, or returns false.</summary>
    public static bool TryNormalize(string? text, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string trimmed = text.Trim();
        string hex;
        string[] groups = trimmed.Split([':', '-'], StringSplitOptions.None);
        if (groups.Length == MacLength)
        {
            // aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff; a single digit group (a:b:...) is allowed, as ethers(5) does.
            if (groups.Any(g => g.Length is 0 or > 2))
            {
                return false;
            }

            hex = string.Concat(groups.Select(g => g.PadLeft(2, '0')));
        }
        else if (groups.Length == 1)
        {
            string[] dotted = trimmed.Split('.');
            if (dotted.Length == 3 && dotted.All(g => g.Length == 4))
            {
                hex = string.Concat(dotted);
            }
            else if (dotted.Length == 1 && trimmed.Length == MacLength * 2)
            {
                hex = trimmed;
            }
            else
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        if (hex.Length != MacLength * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hex = hex.ToLowerInvariant();
        normalized = string.Join(':', Enumerable.Range(0, MacLength).Select(i => hex.Substring(i * 2, 2)));
        return true;
    }

    /// <summary>Formats six bytes as aa:bb:cc:dd:ee:ff.</summary>
    public static string Format(ReadOnlySpan<byte> mac)
    {
        var parts = new string[mac.Length];
        for (int i = 0; i < mac.Length; i++)
        {
            parts[i] = mac[i].ToString("x2", CultureInfo.InvariantCulture);
        }

        return string.Join(':', parts);
    }
}
