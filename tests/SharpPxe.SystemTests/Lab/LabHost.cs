using System.Net;

namespace SharpPxe.SystemTests.Lab;

/// <summary>A host of a <see cref="NetworkLab"/>: its own namespace with eth0 on the lab segment.</summary>
internal sealed class LabHost
{
    /// <summary>The interface of a relay host on the client segment, with the client-side address.</summary>
    public const string RelayInterface = "eth1";

    private static readonly TimeSpan s_runLimit = TimeSpan.FromSeconds(30);

    internal LabHost(NetworkLab lab, string name, string @namespace, string interfaceName, string mac, string? address)
    {
        Lab = lab;
        Name = name;
        Namespace = @namespace;
        InterfaceName = interfaceName;
        MacAddress = mac;
        Address = address;
    }

    /// <summary>The lab this host belongs to.</summary>
    public NetworkLab Lab { get; }

    /// <summary>The short name given to <see cref="NetworkLab.AddHostAsync"/>, e.g. "srv".</summary>
    public string Name { get; }

    /// <summary>The network namespace, e.g. "spx-3f9a1c-4711-srv".</summary>
    public string Namespace { get; }

    /// <summary>The interface on the segment: "eth0".</summary>
    public string InterfaceName { get; }

    /// <summary>The MAC of eth0, "02:53:..." unless one was given.</summary>
    public string MacAddress { get; }

    /// <summary>The static address with prefix, "198.18.0.1/24", or null for a DHCP client.</summary>
    public string? Address { get; }

    /// <summary>The static address without prefix, or null.</summary>
    public IPAddress? IPAddress => Address is null ? null : NetworkLab.ParseAddress(Address).Address;

    /// <summary>For a relay host: the address on its client-side interface, e.g. "198.18.1.1/24".</summary>
    public string? ClientSideAddress { get; internal set; }

    /// <summary>
    /// Starts <c>ip netns exec NS program args...</c>; the lab tracks the process and ends it on dispose.
    /// </summary>
    public Task<LabProcess> StartAsync(string program, IEnumerable<string> args, string? workingDirectory = null) =>
        Task.FromResult(Lab.Start(Namespace, program, args, workingDirectory));

    /// <summary>Runs a short command in the namespace to completion (at most 30 s by default).</summary>
    public Task<ProcessResult> RunAsync(string program, IEnumerable<string> args, TimeSpan? limit = null) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", Namespace, program, .. args], limit ?? s_runLimit);

    /// <summary>Adds a route in this host, e.g. ("198.18.1.0/24", "198.18.0.254").</summary>
    public Task AddRouteAsync(string destination, string via)
    {
        NetworkLab.ParseAddress(destination);
        NetworkLab.ParseAddress(via);
        return Lab.IpAsync("-n", Namespace, "route", "add", destination, "via", via);
    }

    /// <summary>The IPv4 addresses on eth0 now, with prefix ("198.18.0.123/24").</summary>
    public async Task<IReadOnlyList<string>> GetAddressesAsync()
    {
        string text = await LabCommand.IpAsync("-n", Namespace, "-4", "-o", "addr", "show", "dev", InterfaceName);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(fields => fields[Array.IndexOf(fields, "inet") + 1])];
    }

    public override string ToString() => $"{Name} ({Namespace}, {InterfaceName} {MacAddress} {Address ?? "dhcp"})";
}
