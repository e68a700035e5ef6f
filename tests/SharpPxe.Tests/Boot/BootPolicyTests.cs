using System.Net;
using SharpPxe.Boot;
using SharpPxe.Config;

namespace SharpPxe.Tests.Boot;

public sealed class BootPolicyTests
{
    [Fact]
    public void Rules_BuiltIn_AreInDocumentedOrder()
    {
        BootPolicy policy = BootClients.Policy(string.Empty);

        Assert.Equal(
            ["static", "ipxe-script", "http-boot", "netboot-file", "arch", "default"],
            policy.Rules.Select(rule => rule.Name));
    }

    [Fact]
    public void Decide_BindingWithoutRom_FallsThroughToArch()
    {
        BootRequest request = BootClients.Request("bios-pxe") with { Mac = "52:54:00:c0:02:b2" };

        BootDecision decision = BootClients.Policy("ipxe").Decide(request);

        Assert.Equal("undionly.kpxe", decision.BootFile);
        Assert.Equal("arch", decision.Rule);
    }

    [Theory]
    [InlineData("52-54-00-C0-02-B1")]
    [InlineData("525400C002B1")]
    [InlineData("5254.00c0.02b1")]
    public void Decide_BoundMacInOtherSpelling_UsesStaticRom(string mac)
    {
        BootRequest request = BootClients.Request("bios-pxe") with { Mac = mac };

        BootDecision decision = BootClients.Policy(string.Empty).Decide(request);

        Assert.Equal(BootClients.BoundRom, decision.BootFile);
        Assert.Equal("static", decision.Rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a mac")]
    public void Decide_UnusableMac_DecidesWithoutBinding(string mac)
    {
        BootRequest request = BootClients.Request("ovmf-x64") with { Mac = mac };

        BootDecision decision = BootClients.Policy("ipxe").Decide(request);

        Assert.Equal("ipxe.efi", decision.BootFile);
    }

    [Fact]
    public void Decide_ConfiguredRuleInFront_WinsOverBuiltIns()
    {
        BootPolicy builtIn = BootClients.Policy("ipxe");
        var policy = new BootPolicy(builtIn.Context, [new ArchitectureFiveRule(), .. BuiltInBootRules.All]);

        BootDecision decision = policy.Decide(BootClients.Request("ovmf-x64") with { Architecture = 5 });
        BootDecision other = policy.Decide(BootClients.Request("ovmf-x64"));

        Assert.Equal(("lean.0", "lean"), (decision.BootFile, decision.Rule));
        Assert.Equal(("ipxe.efi", "arch"), (other.BootFile, other.Rule));
    }

    [Fact]
    public void Decide_RuleListWithoutMatch_FallsBackToDefault()
    {
        var policy = new BootPolicy(BootClients.Policy(string.Empty).Context, [BuiltInBootRules.Static]);

        BootDecision decision = policy.Decide(BootClients.Request("ovmf-x64"));

        Assert.Equal(("pxelinux.0", "default"), (decision.BootFile, decision.Rule));
    }

    [Fact]
    public void Constructor_NullRule_Throws()
    {
        BootContext context = BootClients.Policy(string.Empty).Context;

        Assert.Throws<ArgumentException>(() => new BootPolicy(context, [BuiltInBootRules.Static, null!]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ipxe")]
    [InlineData("ipxe,http:8080,chainload")]
    [InlineData("file:custom.0")]
    public void Decide_EveryArchitectureCode_DecidesWithoutThrowing(string config)
    {
        BootPolicy policy = BootClients.Policy(config);
        BootRequest pxe = BootClients.Request("bios-pxe");
        BootRequest http = BootClients.Request("http-x64");

        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            BootDecision plain = policy.Decide(pxe with { Architecture = (ushort)code });
            BootDecision httpBoot = policy.Decide(http with { Architecture = (ushort)code });

            Assert.False(string.IsNullOrEmpty(plain.BootFile));
            Assert.False(string.IsNullOrEmpty(httpBoot.BootFile));
        }
    }

    [Fact]
    public void Decide_FileServerIsNextServer_InEveryDecision()
    {
        var options = new SharpPxeOptions { Ipxe = true };
        options.Dhcp.FileServer = IPAddress.Parse("198.18.1.7");
        var policy = new BootPolicy(options, new Dictionary<string, StaticBinding>(), _ => false);

        BootDecision script = policy.Decide(BootClients.Request("bios-ipxe"));
        BootDecision binary = policy.Decide(BootClients.Request("ovmf-x64"));

        Assert.Equal(IPAddress.Parse("198.18.1.7"), script.NextServer);
        Assert.Equal(IPAddress.Parse("198.18.1.7"), binary.NextServer);
        Assert.Equal("tftp://198.18.1.7/boot.ipxe", script.BootFile);
    }

    [Fact]
    public void NetbootDirectoryProbe_RealDirectory_FindsOnlyFilesInside()
    {
        using var dir = new TempDir();
        string netboot = dir.Dir("netboot");
        dir.File("netboot/chainload.kpxe", "kpxe");
        dir.File("outside.kpxe", "kpxe");
        Func<string, bool> exists = BootPolicy.NetbootDirectoryProbe(netboot);

        Assert.True(exists("chainload.kpxe"));
        Assert.False(exists("undionly.kpxe"));
        Assert.False(exists("../outside.kpxe"));
        Assert.False(exists(Path.Combine(dir.Path, "outside.kpxe")));
        Assert.False(exists(string.Empty));
    }

    [Fact]
    public void Decide_ProbedNetbootDirWithChainload_ServesChainloadKpxe()
    {
        using var dir = new TempDir();
        dir.File("chainload.kpxe", "kpxe");
        var options = new SharpPxeOptions { Ipxe = true, NetbootDir = dir.Path };
        var policy = new BootPolicy(options, new Dictionary<string, StaticBinding>(),
            BootPolicy.NetbootDirectoryProbe(options.NetbootDir));

        BootDecision decision = policy.Decide(BootClients.Request("bios-pxe"));

        Assert.Equal("chainload.kpxe", decision.BootFile);
    }

    private sealed class ArchitectureFiveRule : IBootRule
    {
        public string Name => "lean";

        public bool Matches(BootRequest request, BootContext context) => request.Architecture == 5;

        public BootDecision Decide(BootRequest request, BootContext context) => context.Decision("lean.0", Name);
    }
}
