using System.Net;
using System.Text.Json.Nodes;
using SharpPxe.Boot;
using SharpPxe.Config;

namespace SharpPxe.Tests.Boot;

/// <summary>Configured rules (the `rules` list) against a table of clients; the built-ins follow them.</summary>
public class ConfiguredRulesTests
{
    private const string Rules = """
        {
          "ipxe": true,
          "http": { "enabled": true, "port": 8080 },
          "dhcp": { "fileServer": "198.18.0.2" },
          "rules": [
            { "name": "node7", "match": { "mac": "52-54-00-12-34-56" }, "file": "pxelinux.0",
              "nextServer": "198.18.0.5", "dhcpOptions": { "252": "hex:0102", "150": "198.18.0.6" } },
            { "name": "lab", "match": { "macPrefix": "52:54:00:C0" }, "kernel": "vmlinuz",
              "initrds": ["initramfs.gz"], "cmdline": "console=ttyS0" },
            { "name": "uefi-ipxe", "match": { "arch": [7, 9], "userClass": "iPXE" }, "script": "uefi.ipxe" },
            { "name": "http", "match": { "vendorClass": "HTTPClient" }, "file": "ipxe.efi" }
          ]
        }
        """;

    public static TheoryData<string, ushort?, string?, string?, string, string?> Table => new()
    {
        // mac, arch, user class, vendor class → rule, boot file
        { "52:54:00:12:34:56", 0, null, "PXEClient:Arch:00000", "node7", "pxelinux.0" },
        { "52:54:00:12:34:56", 7, "iPXE", "PXEClient:Arch:00007", "node7", "pxelinux.0" },
        { "52:54:00:c0:02:b1", 0, null, "PXEClient:Arch:00000", "lab", "undionly.kpxe" },
        { "52:54:00:c0:02:b1", 7, null, "PXEClient:Arch:00007", "lab", "ipxe.efi" },
        { "52:54:00:c0:02:b1", 7, "iPXE", "PXEClient:Arch:00007", "lab",
            "http://198.18.0.2:8080/sharppxe/rules/1.ipxe" },
        { "02:00:00:00:00:01", 7, "iPXE", "PXEClient:Arch:00007", "uefi-ipxe", "http://198.18.0.2:8080/uefi.ipxe" },
        { "02:00:00:00:00:01", 9, "iPXE", "PXEClient:Arch:00009", "uefi-ipxe", "http://198.18.0.2:8080/uefi.ipxe" },
        { "02:00:00:00:00:01", 7, null, "PXEClient:Arch:00007", "arch", "ipxe.efi" },
        {
            "02:00:00:00:00:01", 0, "iPXE", "PXEClient:Arch:00000", "ipxe-script",
            "http://198.18.0.2:8080/boot.http.ipxe"
        },
        { "02:00:00:00:00:01", 16, null, "HTTPClient:Arch:00016", "http", "http://198.18.0.2:8080/ipxe.efi" },
        { "02:00:00:00:00:01", null, null, null, "default", "boot.http.ipxe" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_ConfiguredRulesThenBuiltIns_FirstMatchWins(
        string mac, ushort? arch, string? userClass, string? vendorClass, string rule, string? file)
    {
        BootPolicy policy = Policy();
        var request = new BootRequest(mac, arch, userClass is null ? [] : [userClass], vendorClass, false, null);

        BootDecision decision = policy.Decide(request);

        Assert.Equal(rule, decision.Rule);
        Assert.Equal(file, decision.BootFile);
    }

    [Fact]
    public void Decide_RuleWithNextServerAndOptions_SetsThem()
    {
        BootDecision decision = Policy().Decide(
            new BootRequest("52:54:00:12:34:56", 0, [], "PXEClient:Arch:00000", false, null));

        Assert.Equal(IPAddress.Parse("198.18.0.5"), decision.NextServer);
        Assert.Equal([(byte)252, (byte)150], decision.ExtraOptions.Select(o => o.Key));
        Assert.Equal([1, 2], decision.ExtraOptions[0].Value);
        Assert.Equal([198, 18, 0, 6], decision.ExtraOptions[1].Value);
    }

    [Fact]
    public void GeneratedScript_KernelRule_LoadsKernelInitrdAndCommandLine()
    {
        string? script = ConfiguredBootRule.GeneratedScript(Options(), 1, "http://198.18.0.2:8080");

        Assert.NotNull(script);
        Assert.StartsWith("#!ipxe\n", script, StringComparison.Ordinal);
        Assert.Contains("kernel http://198.18.0.2:8080/vmlinuz initrd=initramfs.gz console=ttyS0 || goto failed\n",
            script, StringComparison.Ordinal);
        Assert.Contains(
            "initrd http://198.18.0.2:8080/initramfs.gz || goto failed\n", script, StringComparison.Ordinal);
        Assert.Contains("boot || goto failed\n", script, StringComparison.Ordinal);
        Assert.Null(ConfiguredBootRule.GeneratedScript(Options(), 0, "http://x"));
        Assert.Null(ConfiguredBootRule.GeneratedScript(Options(), 9, "http://x"));
    }

    [Theory]
    [InlineData("""[{ "match": { "mac": "52:54:00:zz:00:01" }, "file": "x" }]""", "rules[0].match.mac")]
    [InlineData("""[{ "match": { "arch": [7, "x"] }, "file": "x" }]""", "rules[0].match.arch")]
    [InlineData("""[{ "match": {}, "fiel": "x" }]""", "did you mean file?")]
    [InlineData("""[{ "match": {}, "file": "a", "kernel": "b" }]""", "more than one of file, script and kernel")]
    [InlineData("""[{ "match": {} }]""", "sets nothing")]
    [InlineData("""[{ "file": "x", "dhcpOptions": { "53": "1" } }]""", "rules[0].dhcpOptions.53")]
    [InlineData("""[{ "file": "x", "nextServer": "198.18.0" }]""", "rules[0].nextServer")]
    public void AddFile_BadRule_IsAnErrorNamingIt(string rules, string expected)
    {
        using var dir = new TempDir();
        var builder = new ConfigBuilder();

        builder.AddFile(dir.File("c.json", $$"""{ "rules": {{rules}} }"""));

        ConfigError error = Assert.Single(builder.Errors);
        Assert.Equal("rules", error.Key);
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
    }

    private static SharpPxeOptions Options()
    {
        using var dir = new TempDir();
        var builder = new ConfigBuilder();
        builder.AddFile(dir.File("rules.json", Rules));
        Assert.Empty(builder.Errors);
        return ConfigJson.ToOptions(builder.Values) is var options && JsonNode.Parse(Rules) is not null
            ? WithExplicit(options, builder)
            : throw new InvalidOperationException();
    }

    private static SharpPxeOptions WithExplicit(SharpPxeOptions options, ConfigBuilder builder)
    {
        options.ExplicitlySet = builder.ExplicitlySet.ToHashSet();
        return options;
    }

    private static BootPolicy Policy() => new(Options(), new Dictionary<string, StaticBinding>(), _ => false);
}
