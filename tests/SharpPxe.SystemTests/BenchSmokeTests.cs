namespace SharpPxe.SystemTests;

/// <summary>
/// bench/dhcp/run.sh keeps working: its <c>--smoke</c> mode runs every load very briefly against SharpPXE,
/// kea-dhcp4 and dnsmasq (all installed by scripts/setup) in network namespaces it makes and removes. A
/// benchmark, so only that it ran is checked, never how fast.
/// </summary>
public class BenchSmokeTests
{
    [Fact]
    public async Task DhcpBench_Smoke_ReportsARateForEachServer()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "bash", ["bench/dhcp/run.sh", "--smoke"], TimeSpan.FromMinutes(4));

        string all = result.Output + result.Error;
        Assert.True(result.ExitCode == 0, $"bench/dhcp/run.sh --smoke exited {result.ExitCode}:\n{all}");
        string[] servers = ["sharppxe", "kea", "dnsmasq"];
        foreach (string server in servers)
        {
            Assert.True(
                result.Output.Contains($"rate: server={server} ", StringComparison.Ordinal),
                $"no rate line for {server}:\n{all}");
        }

        Assert.Contains("kill-9: sharppxe", result.Output, StringComparison.Ordinal);
    }
}
