using SharpPxe.Config;
using SharpPxe.Leases;
using static SharpPxe.Tests.Leases.PoolFixture;

namespace SharpPxe.Tests.Leases;

public class PyPxeLeaseFileTests
{
    [Fact]
    public void Load_PyPxeFile_ReadsLeasesKeyedByLowerCaseMac()
    {
        using var temp = new TempDir();
        string path = temp.File("leases.json", """
            {
              "52:54:00:12:34:56": {"ip": "198.18.0.100", "expire": 1748779200.5, "ipxe": true},
              "52:54:00:AB:CD:EF": {"ip": "", "expire": 0, "ipxe": false}
            }
            """);
        var errors = new List<ConfigError>();

        IReadOnlyList<Lease> leases = PyPxeLeaseFile.Load(path, errors);

        Assert.Empty(errors);
        Lease lease = Assert.Single(leases);
        Assert.Equal("mac:52:54:00:12:34:56", lease.ClientKey);
        Assert.Equal("52:54:00:12:34:56", lease.Mac);
        Assert.Equal(Ip("198.18.0.100"), lease.Address);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1748779200500), lease.Expires);
        Assert.Equal(LeaseState.Bound, lease.State);
    }

    [Fact]
    public void Save_ThenLoad_RoundTrips()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "leases.json");
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(1748779200250);
        Lease[] leases =
        [
            new(Key(1), Mac(1), Ip("198.18.0.10"), expires, LeaseState.Bound, "node1"),
            new(Key(0xabcdef), Mac(0xabcdef), Ip("198.18.0.11"), expires.AddHours(1), LeaseState.Bound, null),
            new(Lease.KeyForDeclined(Ip("198.18.0.12")), Mac(3), Ip("198.18.0.12"), expires, LeaseState.Declined,
                null),
        ];
        File.WriteAllText(path, "old content");

        PyPxeLeaseFile.Save(path, leases);
        var errors = new List<ConfigError>();
        IReadOnlyList<Lease> loaded = PyPxeLeaseFile.Load(path, errors);

        Assert.Empty(errors);
        Assert.Equal(leases.Take(2).Select(l => l with { HostName = null }),
            loaded.OrderBy(l => l.Address.ToString(), StringComparer.Ordinal));
        Assert.Contains("\"52:54:00:AB:CD:EF\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(["leases.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_NotJson_ReportsTheFile()
    {
        using var temp = new TempDir();
        string path = temp.File("leases.json", "{\"52:54:00:12:34:56\": {\"ip\": ");
        var errors = new List<ConfigError>();

        IReadOnlyList<Lease> leases = PyPxeLeaseFile.Load(path, errors);

        Assert.Empty(leases);
        ConfigError error = Assert.Single(errors);
        Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadEntries_ReportsEachAndKeepsTheGoodOnes()
    {
        using var temp = new TempDir();
        string path = temp.File("leases.json", """
            {
              "not-a-mac": {"ip": "198.18.0.1", "expire": 1},
              "52:54:00:00:00:01": "198.18.0.2",
              "52:54:00:00:00:02": {"ip": "198.18.0", "expire": 1},
              "52:54:00:00:00:03": {"ip": "198.18.0.3", "expire": "soon"},
              "52:54:00:00:00:04": {"expire": 1},
              "52:54:00:00:00:05": {"ip": "198.18.0.5", "expire": 1748779200}
            }
            """);
        var errors = new List<ConfigError>();

        IReadOnlyList<Lease> leases = PyPxeLeaseFile.Load(path, errors);

        Assert.Equal(Ip("198.18.0.5"), Assert.Single(leases).Address);
        Assert.Equal(["not-a-mac", "52:54:00:00:00:01", "52:54:00:00:00:02.ip", "52:54:00:00:00:03.expire",
            "52:54:00:00:00:04.ip"], errors.Select(e => e.Key));
    }

    [Fact]
    public void Load_TopLevelNotAnObject_IsReported()
    {
        using var temp = new TempDir();
        string path = temp.File("leases.json", "[1, 2]");
        var errors = new List<ConfigError>();

        Assert.Empty(PyPxeLeaseFile.Load(path, errors));
        Assert.Single(errors);
    }

    [Fact]
    public void Load_MissingFile_IsEmptyWithoutError()
    {
        using var temp = new TempDir();
        var errors = new List<ConfigError>();

        Assert.Empty(PyPxeLeaseFile.Load(Path.Combine(temp.Path, "none.json"), errors));
        Assert.Empty(errors);
    }
}
