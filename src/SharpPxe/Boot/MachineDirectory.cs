using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using SharpPxe.Config;

namespace SharpPxe.Boot;

/// <summary>
/// Ties a request to the machine that made it. The DHCP server records each address it binds (or, in proxy mode,
/// each client it answers); TFTP and HTTP then find the MAC behind a client address here, or else in the
/// kernel's neighbour table (/proc/net/arp), which holds every machine that talked to this host recently.
/// </summary>
public sealed class MachineDirectory
{
    private readonly ConcurrentDictionary<IPAddress, MachineInfo> _byAddress = new();
    private readonly ConcurrentDictionary<string, MachineInfo> _byMac = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, (string? Mac, long Until)> _neighbours = new();
    private readonly string _neighbourTable;

    /// <summary>How long a neighbour-table answer (found or not) is reused: each look-up reads a file.</summary>
    private static readonly TimeSpan s_neighbourCache = TimeSpan.FromSeconds(2);

    public MachineDirectory(string neighbourTable = "/proc/net/arp")
    {
        _neighbourTable = neighbourTable;
    }

    /// <summary>Records what DHCP learnt of a machine.</summary>
    public void Record(MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        _byAddress[machine.Address] = machine;
        _byMac[machine.Mac] = machine;
    }

    /// <summary>What DHCP last saw of this MAC (architecture, host name), or null.</summary>
    public MachineInfo? FindByMac(string mac) => _byMac.GetValueOrDefault(mac);

    /// <summary>The machine at <paramref name="address"/>: from DHCP's records, else the neighbour table.</summary>
    public MachineInfo? FindByAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_byAddress.TryGetValue(address, out MachineInfo? known))
        {
            return known;
        }

        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        string? mac;
        if (_neighbours.TryGetValue(address, out (string? Mac, long Until) cached) && cached.Until > now)
        {
            mac = cached.Mac;
        }
        else
        {
            mac = LookUpNeighbour(address);
            long until = now + (long)(s_neighbourCache.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            _neighbours[address] = (mac, until);
        }

        if (mac is null)
        {
            return null;
        }

        MachineInfo? seen = _byMac.GetValueOrDefault(mac);
        return new MachineInfo(mac, address, seen?.Architecture, seen?.HostName);
    }

    /// <summary>The MAC of a complete entry for <paramref name="address"/> in the neighbour table, or null.</summary>
    private string? LookUpNeighbour(IPAddress address)
    {
        const int CompleteFlag = 0x2;
        try
        {
            string wanted = address.ToString();
            foreach (string line in File.ReadLines(_neighbourTable).Skip(1))
            {
                // IP address  HW type  Flags  HW address  Mask  Device
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 4 && fields[0] == wanted
                    && int.TryParse(fields[2].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture,
                        out int flags)
                    && (flags & CompleteFlag) != 0
                    && MacAddressText.TryNormalize(fields[3], out string mac))
                {
                    return mac;
                }
            }
        }
        catch (IOException)
        {
            // No neighbour table on this system.
        }
        catch (UnauthorizedAccessException)
        {
            // Not readable here.
        }

        return null;
    }
}
