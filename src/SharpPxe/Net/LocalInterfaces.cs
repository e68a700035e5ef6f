using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace SharpPxe.Net;

/// <summary>
/// This host's IPv4 interfaces by index: the name, address and netmask a reply needs when it leaves by the
/// interface its request came in on. Read once and again whenever an unknown index shows up.
/// </summary>
public sealed class LocalInterfaces
{
    private ConcurrentDictionary<int, LocalInterface> _byIndex = new();

    public LocalInterfaces()
    {
        Refresh();
    }

    /// <summary>Every interface with an IPv4 address.</summary>
    public IReadOnlyCollection<LocalInterface> All => (IReadOnlyCollection<LocalInterface>)_byIndex.Values;

    /// <summary>The interface with this index, or null when there is none (after one refresh).</summary>
    public LocalInterface? Find(int index)
    {
        if (_byIndex.TryGetValue(index, out LocalInterface? found))
        {
            return found;
        }

        Refresh();
        return _byIndex.GetValueOrDefault(index);
    }

    /// <summary>The interface that has <paramref name="address"/>, or null.</summary>
    public LocalInterface? FindByAddress(IPAddress address) =>
        _byIndex.Values.FirstOrDefault(i => i.Address.Equals(address));

    /// <summary>The interface by name, e.g. eth0, or null.</summary>
    public LocalInterface? FindByName(string name) =>
        _byIndex.Values.FirstOrDefault(i => i.Name == name) ?? RefreshAnd(() =>
            _byIndex.Values.FirstOrDefault(i => i.Name == name));

    private LocalInterface? RefreshAnd(Func<LocalInterface?> find)
    {
        Refresh();
        return find();
    }

    private void Refresh()
    {
        var map = new ConcurrentDictionary<int, LocalInterface>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            IPInterfaceProperties properties = nic.GetIPProperties();
            IPv4InterfaceProperties? v4;
            try
            {
                v4 = properties.GetIPv4Properties();
            }
            catch (NetworkInformationException)
            {
                continue;
            }

            UnicastIPAddressInformation? address = properties.UnicastAddresses
                .FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
            if (v4 is null || address is null)
            {
                continue;
            }

            map[v4.Index] = new LocalInterface(v4.Index, nic.Name, address.Address, address.IPv4Mask, v4.Mtu);
        }

        _byIndex = map;
    }
}
