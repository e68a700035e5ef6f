using System.Globalization;

namespace SharpPxe.SystemTests.Lab;

/// <summary>
/// What a DHCP client's script was told when it got a lease, normalised over dhclient and udhcpc;
/// <see cref="Variables"/> keeps every raw variable the script saw.
/// </summary>
internal sealed record ClientLease
{
    /// <summary>The script event: BOUND/REBOOT (dhclient) or bound (udhcpc).</summary>
    public required string Event { get; init; }

    /// <summary>Every variable of that event, as the client named it.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    /// <summary>yiaddr.</summary>
    public string? IpAddress { get; init; }

    /// <summary>Option 1, dotted.</summary>
    public string? SubnetMask { get; init; }

    /// <summary>Option 3, space-separated.</summary>
    public string? Routers { get; init; }

    /// <summary>Option 6, space-separated.</summary>
    public string? DnsServers { get; init; }

    /// <summary>Option 51, seconds.</summary>
    public int? LeaseTime { get; init; }

    /// <summary>Option 54.</summary>
    public string? ServerIdentifier { get; init; }

    /// <summary>siaddr, the next server.</summary>
    public string? NextServer { get; init; }

    /// <summary>The BOOTP file field.</summary>
    public string? FileField { get; init; }

    /// <summary>Option 66, TFTP server name.</summary>
    public string? TftpServerName { get; init; }

    /// <summary>Option 67, boot file name.</summary>
    public string? BootFileName { get; init; }

    /// <summary>Option 67 when present, else the file field: what a PXE client would boot.</summary>
    public string? BootFile => string.IsNullOrEmpty(BootFileName) ? FileField : BootFileName;

    /// <summary>
    /// Reads a script dump: blocks that start with "event=NAME", then NAME=VALUE lines. Values with
    /// line breaks are not expected from either client.
    /// </summary>
    public static IReadOnlyList<(string Event, Dictionary<string, string> Variables)> ReadDump(string path)
    {
        List<(string, Dictionary<string, string>)> events = [];
        if (!File.Exists(path))
        {
            return events;
        }

        foreach (string line in File.ReadAllLines(path))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            string key = line[..equals];
            string value = line[(equals + 1)..];
            if (key == "event")
            {
                events.Add((value, new Dictionary<string, string>(StringComparer.Ordinal)));
            }
            else if (events.Count > 0)
            {
                events[^1].Item2[key] = value;
            }
        }

        return events;
    }

    /// <summary>The lease from a dhclient script dump (variables new_*).</summary>
    public static ClientLease FromDhclient(string @event, IReadOnlyDictionary<string, string> v) => new()
    {
        Event = @event,
        Variables = v,
        IpAddress = v.GetValueOrDefault("new_ip_address"),
        SubnetMask = v.GetValueOrDefault("new_subnet_mask"),
        Routers = v.GetValueOrDefault("new_routers"),
        DnsServers = v.GetValueOrDefault("new_domain_name_servers"),
        LeaseTime = ParseInt(v.GetValueOrDefault("new_dhcp_lease_time")),
        ServerIdentifier = v.GetValueOrDefault("new_dhcp_server_identifier"),
        NextServer = v.GetValueOrDefault("new_next_server"),
        FileField = v.GetValueOrDefault("new_filename"),
        TftpServerName = v.GetValueOrDefault("new_tftp_server_name"),
        BootFileName = v.GetValueOrDefault("new_bootfile_name"),
    };

    /// <summary>The lease from a udhcpc script dump.</summary>
    public static ClientLease FromUdhcpc(string @event, IReadOnlyDictionary<string, string> v) => new()
    {
        Event = @event,
        Variables = v,
        IpAddress = v.GetValueOrDefault("ip"),
        SubnetMask = v.GetValueOrDefault("subnet"),
        Routers = v.GetValueOrDefault("router"),
        DnsServers = v.GetValueOrDefault("dns"),
        LeaseTime = ParseInt(v.GetValueOrDefault("lease")),
        ServerIdentifier = v.GetValueOrDefault("serverid"),
        NextServer = v.GetValueOrDefault("siaddr"),
        FileField = v.GetValueOrDefault("boot_file"),
        TftpServerName = v.GetValueOrDefault("tftp"),
        BootFileName = v.GetValueOrDefault("bootfile"),
    };

    public override string ToString() =>
        $"{Event}: ip={IpAddress} mask={SubnetMask} routers={Routers} dns={DnsServers} lease={LeaseTime} " +
        $"server={ServerIdentifier} next-server={NextServer} file={FileField} opt66={TftpServerName} " +
        $"opt67={BootFileName}";

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
