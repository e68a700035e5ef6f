using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpPxe.Config;

namespace SharpPxe.Leases;

/// <summary>
/// PyPXE's lease file (<c>--save-leases</c>, pypxe.md §3.4): a JSON object keyed by upper-case MAC, each value
/// <c>{"ip": "192.0.2.10", "expire": 1700000000.5, "ipxe": false}</c> with the expiry in epoch seconds. Unlike
/// PyPXE, a malformed file or entry is reported instead of silently ignored, and saving is atomic.
/// </summary>
public static class PyPxeLeaseFile
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>
    /// Reads the file. A missing file is an empty lease list (first run); every content problem is added to
    /// <paramref name="errors"/> and the entries that could be read are still returned.
    /// </summary>
    public static IReadOnlyList<Lease> Load(string path, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        var leases = new List<Lease>();
        string source = $"lease file {path}";
        JsonNode? root;
        try
        {
            if (!File.Exists(path))
            {
                return leases;
            }

            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            errors.Add(new ConfigError(source,
                $"line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}",
                null, "is not valid JSON", "a JSON object keyed by MAC"));
            return leases;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError("configuration", "dhcp.leasesFile", path, "cannot be read: " + ex.Message,
                "a readable JSON file"));
            return leases;
        }

        if (root is not JsonObject map)
        {
            errors.Add(new ConfigError(source, "(top level)", root?.ToJsonString(), "is not an object",
                "{\"AA:BB:CC:DD:EE:FF\": {\"ip\": ..., \"expire\": ..., \"ipxe\": ...}}"));
            return leases;
        }

        foreach ((string macText, JsonNode? entry) in map)
        {
            if (TryReadEntry(macText, entry, source, errors) is { } lease)
            {
                leases.Add(lease);
            }
        }

        return leases;
    }

    /// <summary>
    /// Writes the bound leases in PyPXE's format, atomically: a temporary file beside <paramref name="path"/> is
    /// written and flushed, then renamed over it, so a reader sees the old file or the new one, never half of one.
    /// </summary>
    public static void Save(string path, IEnumerable<Lease> leases)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(leases);
        var map = new JsonObject();
        // PyPXE keys by MAC; when two client keys share one MAC the later expiry wins.
        foreach (Lease lease in leases.Where(l => l.State == LeaseState.Bound).OrderBy(l => l.Expires))
        {
            map[lease.Mac.ToUpperInvariant()] = new JsonObject
            {
                ["ip"] = lease.Address.ToString(),
                ["expire"] = lease.Expires.ToUnixTimeMilliseconds() / 1000.0,
                ["ipxe"] = false,
            };
        }

        string full = Path.GetFullPath(path);
        string temp = full + string.Create(CultureInfo.InvariantCulture, $".tmp{Environment.ProcessId}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(map.ToJsonString(s_indented)));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static Lease? TryReadEntry(string macText, JsonNode? entry, string source, List<ConfigError> errors)
    {
        if (!MacAddressText.TryNormalize(macText, out string mac))
        {
            errors.Add(new ConfigError(source, macText, null, "is not a MAC address", "AA:BB:CC:DD:EE:FF"));
            return null;
        }

        if (entry is not JsonObject fields)
        {
            errors.Add(new ConfigError(source, macText, entry?.ToJsonString() ?? "null", "is not an object",
                "{\"ip\": ..., \"expire\": ..., \"ipxe\": ...}"));
            return null;
        }

        string? ipText = fields["ip"] is JsonValue ipValue && ipValue.TryGetValue(out string? s) ? s : null;
        if (ipText is null)
        {
            errors.Add(new ConfigError(source, macText + ".ip", fields["ip"]?.ToJsonString(),
                "is missing or not a string", "an IPv4 address"));
            return null;
        }

        if (ipText.Length == 0)
        {
            // PyPXE creates an entry with an empty address for a client it has seen but given nothing.
            return null;
        }

        if (!IPAddress.TryParse(ipText, out IPAddress? address)
            || address.AddressFamily != AddressFamily.InterNetwork || ipText.Count(c => c == '.') != 3)
        {
            errors.Add(new ConfigError(source, macText + ".ip", ipText, "is not an IPv4 address",
                "such as 198.18.0.10"));
            return null;
        }

        if (fields["expire"] is not JsonValue expireValue || !expireValue.TryGetValue(out double expire)
            || !double.IsFinite(expire) || expire < 0 || expire > 253402300799)
        {
            errors.Add(new ConfigError(source, macText + ".expire", fields["expire"]?.ToJsonString(),
                "is missing or not a time", "epoch seconds such as 1700000000.0"));
            return null;
        }

        return new Lease(Lease.KeyForMac(mac), mac, address,
            DateTimeOffset.FromUnixTimeMilliseconds((long)(expire * 1000)), LeaseState.Bound, null);
    }
}
