using SharpPxe.Http;

namespace SharpPxe.Tests.Http;

public sealed class IpxeTemplateTests
{
    private static readonly Dictionary<string, string> s_values =
        IpxeTemplate.ValuesFor("aa:bb:cc:0d:0e:0f", "198.18.0.10", 7, "node1", "198.18.0.1", 8080);

    [Theory]
    [InlineData("mac", "aa:bb:cc:0d:0e:0f")]
    [InlineData("mac_hyphen", "01-aa-bb-cc-0d-0e-0f")]
    [InlineData("ip", "198.18.0.10")]
    [InlineData("arch", "7")]
    [InlineData("arch_name", "x64-uefi")]
    [InlineData("hostname", "node1")]
    [InlineData("server", "198.18.0.1")]
    [InlineData("http_port", "8080")]
    [InlineData("http_base", "http://198.18.0.1:8080")]
    public void Render_Variable_ReplacedByTheMachinesValue(string name, string expected)
    {
        string rendered = IpxeTemplate.Render($"before {{{{{name}}}}} after", s_values);

        Assert.Equal($"before {expected} after", rendered);
    }

    [Fact]
    public void Variables_EachOne_HasAValue()
    {
        Assert.Equal(IpxeTemplate.Variables.Order(StringComparer.Ordinal), s_values.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_SpacesInsideTheBraces_Replaced()
    {
        string rendered = IpxeTemplate.Render("{{ mac }} {{  hostname\t}}", s_values);

        Assert.Equal("aa:bb:cc:0d:0e:0f node1", rendered);
    }

    [Fact]
    public void ValuesFor_Port80_LeftOutOfHttpBase()
    {
        Dictionary<string, string> values = IpxeTemplate.ValuesFor(null, null, null, null, "198.18.0.1", 80);

        Assert.Equal("http://198.18.0.1", values["http_base"]);
        Assert.Equal("80", values["http_port"]);
    }

    [Fact]
    public void ValuesFor_UnknownMachine_EmptyValuesAndArchNameNone()
    {
        Dictionary<string, string> values =
            IpxeTemplate.ValuesFor(null, "198.18.0.10", null, null, "198.18.0.1", 8080);

        string rendered = IpxeTemplate.Render(
            "[{{mac}}][{{mac_hyphen}}][{{ip}}][{{arch}}][{{arch_name}}][{{hostname}}]", values);

        Assert.Equal("[][][198.18.0.10][][none][]", rendered);
    }

    [Theory]
    [InlineData("{{unknown}}")]
    [InlineData("{{ typo_name }}")]
    [InlineData("{{MAC}}")]
    [InlineData("{{mac-hyphen}}")]
    [InlineData("{mac}")]
    [InlineData("{{mac}")]
    public void Render_UnknownOrMalformedPlaceholder_LeftAsWritten(string template)
    {
        Assert.Equal(template, IpxeTemplate.Render(template, s_values));
    }

    [Theory]
    [InlineData("chain http://${next-server}/boot.ipxe?mac=${net0/mac}")]
    [InlineData("echo ${mac} ${ip} ${hostname} ${uuid}")]
    [InlineData("isset ${arch} || goto fallback")]
    public void Render_IpxeSettings_Untouched(string template)
    {
        Assert.False(IpxeTemplate.HasPlaceholders(template));
        Assert.Equal(template, IpxeTemplate.Render(template, s_values));
    }

    [Fact]
    public void Render_IpxeSettingNextToPlaceholder_OnlyThePlaceholderReplaced()
    {
        string rendered = IpxeTemplate.Render("${net0/mac}={{mac}} ${mac}", s_values);

        Assert.Equal("${net0/mac}=aa:bb:cc:0d:0e:0f ${mac}", rendered);
    }

    [Theory]
    [InlineData("#!ipxe\nchain {{http_base}}/x", true)]
    [InlineData("#!ipxe\nchain ${next-server}/x", false)]
    [InlineData("", false)]
    public void HasPlaceholders_Script_TellsWhetherAnyPlaceholder(string script, bool expected)
    {
        Assert.Equal(expected, IpxeTemplate.HasPlaceholders(script));
    }
}
