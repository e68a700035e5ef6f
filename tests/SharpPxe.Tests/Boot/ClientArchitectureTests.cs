using SharpPxe.Boot;

namespace SharpPxe.Tests.Boot;

public sealed class ClientArchitectureTests
{
    [Theory]
    [InlineData(0, ClientArchitectureClass.Bios, "x86-bios")]
    [InlineData(6, ClientArchitectureClass.UefiIa32, "ia32-uefi")]
    [InlineData(7, ClientArchitectureClass.UefiX64, "x64-uefi")]
    [InlineData(9, ClientArchitectureClass.UefiX64, "ebc-uefi")]
    [InlineData(10, ClientArchitectureClass.UefiArm32, "arm32-uefi")]
    [InlineData(11, ClientArchitectureClass.UefiArm64, "arm64-uefi")]
    [InlineData(15, ClientArchitectureClass.UefiIa32Http, "ia32-uefi-http")]
    [InlineData(16, ClientArchitectureClass.UefiX64Http, "x64-uefi-http")]
    [InlineData(17, ClientArchitectureClass.UefiX64Http, "ebc-uefi-http")]
    [InlineData(18, ClientArchitectureClass.UefiArm32Http, "arm32-uefi-http")]
    [InlineData(19, ClientArchitectureClass.UefiArm64Http, "arm64-uefi-http")]
    [InlineData(2, ClientArchitectureClass.Unknown, "itanium")]
    [InlineData(20, ClientArchitectureClass.Unknown, "x86-bios-http")]
    [InlineData(27, ClientArchitectureClass.Unknown, "riscv64-uefi")]
    [InlineData(41, ClientArchitectureClass.Unknown, "arm-rpiboot")]
    [InlineData(42, ClientArchitectureClass.Unknown, "arch-42")]
    [InlineData(65535, ClientArchitectureClass.Unknown, "arch-65535")]
    public void Classify_Code_GivesClassAndName(int code, ClientArchitectureClass expected, string name)
    {
        Assert.Equal(expected, ClientArchitecture.Classify((ushort)code));
        Assert.Equal(name, ClientArchitecture.Name((ushort)code));
    }

    [Fact]
    public void Classify_NoOption93_IsUnknownNamedNone()
    {
        Assert.Equal(ClientArchitectureClass.Unknown, ClientArchitecture.Classify((ushort?)null));
        Assert.Equal("none", ClientArchitecture.Name((ushort?)null));
    }

    [Fact]
    public void Classify_EveryCode_NeverThrows()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ClientArchitectureClass architecture = ClientArchitecture.Classify((ushort)code);

            Assert.True(Enum.IsDefined(architecture));
            Assert.False(string.IsNullOrEmpty(ClientArchitecture.Name((ushort)code)));
            Assert.False(string.IsNullOrEmpty(ClientArchitecture.Name(architecture)));
        }
    }

    [Theory]
    [InlineData("bios-pxe", ClientArchitectureClass.Bios)]
    [InlineData("ovmf-x64", ClientArchitectureClass.UefiX64)]
    [InlineData("http-x64", ClientArchitectureClass.UefiX64Http)]
    [InlineData("http-arm64", ClientArchitectureClass.UefiArm64Http)]
    [InlineData("http-vendor-only", ClientArchitectureClass.UefiX64Http)]
    [InlineData("no-arch", ClientArchitectureClass.Unknown)]
    [InlineData("arch42", ClientArchitectureClass.Unknown)]
    public void Classify_Request_UsesOption93AndHttpClientVendorClass(
        string client, ClientArchitectureClass expected)
    {
        Assert.Equal(expected, ClientArchitecture.Classify(BootClients.Request(client)));
    }

    [Theory]
    [InlineData(7, ClientArchitectureClass.UefiX64Http)]
    [InlineData(11, ClientArchitectureClass.UefiArm64Http)]
    [InlineData(0, ClientArchitectureClass.Bios)]
    [InlineData(42, ClientArchitectureClass.Unknown)]
    public void Classify_HttpClientWithPxeCode_UpgradesOnlyUefi(int code, ClientArchitectureClass expected)
    {
        BootRequest request = BootClients.Request("http-x64") with { Architecture = (ushort)code };

        Assert.Equal(expected, ClientArchitecture.Classify(request));
    }

    [Fact]
    public void ToHttpBootAndBack_EveryClass_RoundTrips()
    {
        foreach (ClientArchitectureClass architecture in Enum.GetValues<ClientArchitectureClass>())
        {
            ClientArchitectureClass pxe = ClientArchitecture.ToPxeBoot(architecture);

            Assert.False(ClientArchitecture.IsHttpBoot(pxe));
            Assert.Equal(pxe, ClientArchitecture.ToPxeBoot(ClientArchitecture.ToHttpBoot(pxe)));
            Assert.Equal(ClientArchitecture.IsUefi(architecture), ClientArchitecture.IsUefi(pxe));
        }
    }
}
