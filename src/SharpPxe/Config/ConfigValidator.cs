using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace SharpPxe.Config;

/// <summary>Checks the merged settings as a whole: ranges, subnets, and the files the enabled services need.</summary>
public static class ConfigValidator
{
    private const string Source = "configuration";

    public static IReadOnlyList<ConfigError> Validate(SharpPxeOptions options, bool checkFiles)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<ConfigError>();
        DhcpOptions dhcp = options.Dhcp;

        if (dhcp.Mode == DhcpMode.Full)
        {
            uint begin = ToUInt32(dhcp.Begin);
            uint end = ToUInt32(dhcp.End);
            if (end < begin)
            {
                errors.Add(new ConfigError(Source, "dhcp.end", dhcp.End.ToString(),
                    $"comes before dhcp.begin {dhcp.Begin}", "an address at or after the pool's first address"));
            }

            // Without --dhcp-server-ip the server takes the arrival interface's address, checked at start.
            uint mask = ToUInt32(dhcp.Subnet);
            uint network = ToUInt32(dhcp.ServerIp) & mask;
            bool serverGiven = options.IsExplicit("dhcp.serverIp");
            foreach ((string key, IPAddress address) in new[] { ("dhcp.begin", dhcp.Begin), ("dhcp.end", dhcp.End) })
            {
                if (serverGiven && (ToUInt32(address) & mask) != network)
                {
                    errors.Add(new ConfigError(Source, key, address.ToString(),
                        $"is outside the server's subnet {dhcp.ServerIp}/{dhcp.Subnet}",
                        "a pool inside the subnet of dhcp.serverIp"));
                }
            }
        }

        if (dhcp.EffectiveRenewalTime >= dhcp.EffectiveRebindingTime || dhcp.EffectiveRebindingTime >= dhcp.LeaseTime)
        {
            string t1 = dhcp.RenewalTime.ToString(CultureInfo.InvariantCulture);
            errors.Add(new ConfigError(Source, "dhcp.renewalTime", t1,
                $"with dhcp.rebindingTime {dhcp.RebindingTime} and dhcp.leaseTime {dhcp.LeaseTime} "
                + "breaks T1 < T2 < lease",
                "T1 below T2 below the lease time (RFC 2131 §4.4.5)"));
        }

        if (dhcp.Whitelist && dhcp.StaticConfig.Length == 0)
        {
            errors.Add(new ConfigError(Source, "dhcp.whitelist", "true", "needs a static-binding file to list the MACs",
                "dhcp.staticConfig (--static-config) to be set as well"));
        }

        if (options.Interface is { } name && OperatingSystem.IsLinux() && !Directory.Exists($"/sys/class/net/{name}"))
        {
            errors.Add(new ConfigError(Source, "interface", name, "is not a network interface of this host",
                "a name that `ip link` lists"));
        }

        if (checkFiles)
        {
            CheckFiles(options, errors);
        }

        return errors;
    }

    private static void CheckFiles(SharpPxeOptions options, List<ConfigError> errors)
    {
        var users = new List<string>();
        if (options.Tftp.Enabled)
        {
            users.Add("TFTP");
        }

        if (options.Http.Enabled)
        {
            users.Add("HTTP");
        }

        if (options.Nbd.Enabled)
        {
            users.Add("NBD");
        }

        bool rootExists = Directory.Exists(options.NetbootDir);
        if (users.Count > 0 && !rootExists)
        {
            errors.Add(new ConfigError(Source, "netbootDir", options.NetbootDir,
                $"does not exist, and {string.Join(" and ", users)} {(users.Count == 1 ? "serves" : "serve")} from it",
                "an existing directory (--netboot-dir)"));
        }

        string file = options.NetbootFile;
        bool isUrl = file.Contains("://", StringComparison.Ordinal);
        if (file.Length > 0 && !isUrl && rootExists && (options.Tftp.Enabled || options.Http.Enabled)
            && !File.Exists(Path.Combine(options.NetbootDir, file.TrimStart('/'))))
        {
            errors.Add(new ConfigError(Source, "netbootFile", file, $"is not a file in {options.NetbootDir}",
                "the name of a file inside the netboot directory, or a URL"));
        }

        if (options.Nbd.Enabled && rootExists
            && !File.Exists(Path.Combine(options.NetbootDir, options.Nbd.BlockDevice.TrimStart('/'))))
        {
            errors.Add(new ConfigError(Source, "nbd.blockDevice", options.Nbd.BlockDevice,
                $"is not a file in {options.NetbootDir}", "a disk image inside the netboot directory"));
        }

        if (options.Dhcp.StaticConfig.Length > 0)
        {
            if (!File.Exists(options.Dhcp.StaticConfig))
            {
                errors.Add(new ConfigError(Source, "dhcp.staticConfig", options.Dhcp.StaticConfig, "does not exist",
                    "a PyPXE static-binding JSON file"));
            }
            else
            {
                IReadOnlyDictionary<string, StaticBinding> bindings =
                    StaticBindingFile.Load(options.Dhcp.StaticConfig, errors);
                CheckStaticAddresses(options, bindings, errors);
            }
        }
    }

    /// <summary>
    /// A static address must be usable by one machine: not bound twice, not the router, the server, 0.0.0.0 or
    /// a broadcast address, and (for the full server) on the pool's subnet.
    /// </summary>
    private static void CheckStaticAddresses(
        SharpPxeOptions options, IReadOnlyDictionary<string, StaticBinding> bindings, List<ConfigError> errors)
    {
        DhcpOptions dhcp = options.Dhcp;
        uint mask = ToUInt32(dhcp.Subnet);
        uint network = ToUInt32(dhcp.Begin) & mask;
        var owners = new Dictionary<IPAddress, string>();
        foreach (StaticBinding binding in bindings.Values)
        {
            if (binding.Address is not { } address)
            {
                continue;
            }

            string key = $"dhcp.binding.{binding.Mac}.ipaddr";
            uint value = ToUInt32(address);
            string? problem = null;
            if (owners.TryGetValue(address, out string? owner))
            {
                problem = $"is bound to {owner} already";
            }
            else if (value == 0 || value == uint.MaxValue || address.Equals(dhcp.Router)
                || (options.IsExplicit("dhcp.serverIp") && address.Equals(dhcp.ServerIp)))
            {
                problem = "is 0.0.0.0, a broadcast address, the router or this server";
            }
            else if (dhcp.Mode == DhcpMode.Full && ((value & mask) != network || (value & ~mask) is 0
                || (value | mask) == uint.MaxValue))
            {
                problem = $"is not a host address of the pool's subnet {dhcp.Begin}/{dhcp.Subnet}";
            }

            if (problem is not null)
            {
                errors.Add(new ConfigError($"static-binding file {dhcp.StaticConfig}", key, address.ToString(), problem,
                    "a free host address of the served subnet, once per file"));
            }

            owners.TryAdd(address, binding.Mac);
        }
    }

    private static uint ToUInt32(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
