using System.Net;
using SharpPxe.Config;

namespace SharpPxe.Tests.Config;

/// <summary>PyPXE's JSON configuration and static-binding files (pypxe.md §3) load to the same settings.</summary>
public class PyPxeConfigFileTests
{
    // Shaped like PyPXE's example_cfg.json: upper-case keys, DHCP on, services bound to one address.
    private const string PyPxeConfig = """
        {
            "NETBOOT_DIR": "netboot",
            "NETBOOT_FILE": "",
            "DHCP_SERVER_IP": "198.18.0.2",
            "DHCP_SERVER_PORT": 67,
            "DHCP_OFFER_BEGIN": "198.18.0.100",
            "DHCP_OFFER_END": "198.18.0.150",
            "DHCP_SUBNET": "255.255.255.0",
            "DHCP_DNS": "198.18.0.53",
            "DHCP_ROUTER": "198.18.0.1",
            "DHCP_BROADCAST": "",
            "DHCP_FILESERVER": "198.18.0.2",
            "DHCP_WHITELIST": false,
            "HTTP_PORT": "8080",
            "HTTP_SERVER_IP": "198.18.0.2",
            "LEASES_FILE": "",
            "MODE_DEBUG": "dhcp,tftp",
            "MODE_VERBOSE": "",
            "NBD_BLOCK_DEVICE": "",
            "NBD_WRITE": false,
            "NBD_COW": true,
            "NBD_COW_IN_MEM": false,
            "NBD_COPY_TO_RAM": false,
            "NBD_SERVER_IP": "0.0.0.0",
            "NBD_PORT": 10809,
            "STATIC_CONFIG": "",
            "SYSLOG_SERVER": null,
            "SYSLOG_PORT": 514,
            "TFTP_PORT": 69,
            "TFTP_SERVER_IP": "198.18.0.2",
            "USE_IPXE": true,
            "USE_HTTP": true,
            "USE_TFTP": true,
            "USE_DHCP": true,
            "DHCP_MODE_PROXY": false
        }
        """;

    private const string SharpPxeEquivalent = """
        {
            "netbootDir": "netboot",
            "ipxe": true,
            "logging": { "debug": ["dhcp", "tftp"] },
            "dhcp": {
                "mode": "full", "serverIp": "198.18.0.2", "begin": "198.18.0.100", "end": "198.18.0.150",
                "dns": ["198.18.0.53"], "router": "198.18.0.1", "fileServer": "198.18.0.2"
            },
            "tftp": { "enabled": true, "serverIp": "198.18.0.2" },
            "http": { "enabled": true, "port": 8080, "serverIp": "198.18.0.2" }
        }
        """;

    [Fact]
    public void AddFile_PyPxeConfig_GivesTheEquivalentSharpPxeSettings()
    {
        using var dir = new TempDir();
        var pypxe = new ConfigBuilder();
        pypxe.AddFile(dir.File("pypxe.json", PyPxeConfig));
        var sharp = new ConfigBuilder();
        sharp.AddFile(dir.File("sharppxe.json", SharpPxeEquivalent));

        Assert.Empty(pypxe.Errors);
        Assert.Empty(sharp.Errors);
        Assert.True(pypxe.FileWasPyPxe);
        Assert.False(sharp.FileWasPyPxe);
        Assert.Equal(ConfigJson.ToNested(sharp.Values).ToJsonString(),
            ConfigJson.ToNested(pypxe.Values).ToJsonString());
    }

    [Theory]
    [InlineData(true, false, DhcpMode.Full)]
    [InlineData(false, true, DhcpMode.Proxy)]
    [InlineData(true, true, DhcpMode.Proxy)]
    [InlineData(false, false, DhcpMode.Off)]
    public void AddFile_PyPxeDhcpKeys_GiveTheMode(bool useDhcp, bool proxy, DhcpMode expected)
    {
        using var dir = new TempDir();
        var builder = new ConfigBuilder();
        builder.AddFile(dir.File("p.json",
            $$"""{ "USE_DHCP": {{(useDhcp ? "true" : "false")}}, "DHCP_MODE_PROXY": """
            + $$"""{{(proxy ? "true" : "false")}} }"""));

        Assert.Empty(builder.Errors);
        Assert.Equal(expected, ConfigJson.ToOptions(builder.Values).Dhcp.Mode);
    }

    [Fact]
    public void AddFile_PyPxeDumpConfigMergedKeys_AreAccepted()
    {
        using var dir = new TempDir();
        var builder = new ConfigBuilder();
        builder.AddFile(dir.File("p.json",
            """{ "JSON_CONFIG": "", "DUMP_CONFIG": false, "DUMP_CONFIG_MERGED": true, "TFTP_PORT": 6969 }"""));

        Assert.Empty(builder.Errors);
        Assert.Equal(6969, ConfigJson.ToOptions(builder.Values).Tftp.Port);
    }

    [Fact]
    public void StaticBindingFile_PyPxeShape_LoadsEveryField()
    {
        using var dir = new TempDir();
        string path = dir.File("leases.json", """
            {
              "dhcp": {
                "binding": {
                  "52:54:00:C0:02:B1": {
                    "ipaddr": "198.18.0.50", "subnet": "255.255.255.0", "router": "198.18.0.1",
                    "dns": ["198.18.0.53", "198.18.0.54"], "rom": "undionly.kpxe"
                  },
                  "52-54-00-c0-02-e1": { "ipaddr": "198.18.0.51" },
                  "525400c002f1": { "rom": "ipxe.efi" },
                  "5254.00c0.0201": {}
                }
              }
            }
            """);
        var errors = new List<ConfigError>();

        IReadOnlyDictionary<string, StaticBinding> bindings = StaticBindingFile.Load(path, errors);

        Assert.Empty(errors);
        Assert.Equal(4, bindings.Count);
        StaticBinding first = bindings["52:54:00:c0:02:b1"];
        Assert.Equal(IPAddress.Parse("198.18.0.50"), first.Address);
        Assert.Equal(IPAddress.Parse("255.255.255.0"), first.Subnet);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), first.Router);
        Assert.Equal([IPAddress.Parse("198.18.0.53"), IPAddress.Parse("198.18.0.54")], first.Dns);
        Assert.Equal("undionly.kpxe", first.BootFile);
        Assert.Equal(IPAddress.Parse("198.18.0.51"), bindings["52:54:00:c0:02:e1"].Address);
        Assert.Equal("ipxe.efi", bindings["52:54:00:c0:02:f1"].BootFile);
        Assert.True(bindings.ContainsKey("52:54:00:c0:02:01"));
    }

    [Theory]
    [InlineData("52:54:00:C0:02:B1", "52:54:00:c0:02:b1")]
    [InlineData("52-54-00-c0-02-b1", "52:54:00:c0:02:b1")]
    [InlineData("525400C002B1", "52:54:00:c0:02:b1")]
    [InlineData("5254.00c0.02b1", "52:54:00:c0:02:b1")]
    [InlineData("2:54:0:c0:2:b1", "02:54:00:c0:02:b1")]
    public void MacAddressText_AnyCaseAndSeparator_Normalises(string text, string expected)
    {
        Assert.True(MacAddressText.TryNormalize(text, out string normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("52:54:00:c0:02")]
    [InlineData("52:54:00:c0:02:b1:00")]
    [InlineData("52:54:00:c0:02:zz")]
    [InlineData("525400c002b")]
    [InlineData("52:54:00-c0:02:123")]
    public void MacAddressText_NotAMac_IsRefused(string text)
    {
        Assert.False(MacAddressText.TryNormalize(text, out _));
    }
}
