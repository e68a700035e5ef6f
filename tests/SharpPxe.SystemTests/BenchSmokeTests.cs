using System.Text.RegularExpressions;

namespace SharpPxe.SystemTests;

/// <summary>
/// bench/dhcp/run.sh keeps working: its <c>--smoke</c> mode runs every load very briefly against SharpPXE,
/// kea-dhcp4 and dnsmasq (all installed by scripts/setup) in network namespaces it makes and removes. A
/// benchmark, so only that it ran is checked, never how fast. The same for bench/tftp/run.sh against
/// SharpPXE, tftpd-hpa, dnsmasq and atftpd on loopback, and for bench/http/run.sh: wrk against SharpPXE and nginx
/// on loopback.
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

    [Fact]
    public async Task TftpBench_Smoke_ReportsARateForEachServerAndIntactConcurrentFiles()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "bash", ["bench/tftp/run.sh", "--smoke"], TimeSpan.FromMinutes(3));

        string all = result.Output + result.Error;
        Assert.True(result.ExitCode == 0, $"bench/tftp/run.sh --smoke exited {result.ExitCode}:\n{all}");
        string[] servers = ["sharppxe", "tftpd-hpa", "dnsmasq", "atftpd"];
        foreach (string server in servers)
        {
            Assert.True(
                result.Output.Contains($"rate: server={server} ", StringComparison.Ordinal),
                $"no rate line for {server}:\n{all}");
            Assert.True(
                Regex.IsMatch(result.Output, $@"^concurrent: server={Regex.Escape(server)} .* \d+/\d+ intact",
                    RegexOptions.Multiline),
                $"no concurrent line for {server}:\n{all}");
        }

        // Every file SharpPXE served to the concurrent clients arrived whole (size and sha256).
        MatchCollection sharp = Regex.Matches(
            result.Output, @"^concurrent: server=sharppxe .* (\d+)/(\d+) intact", RegexOptions.Multiline);
        Assert.NotEmpty(sharp);
        foreach (Match m in sharp)
        {
            Assert.True(m.Groups[1].Value == m.Groups[2].Value, $"not every file intact: {m.Value}\n{all}");
        }
    }

    [Fact]
    public async Task HttpBench_Smoke_ReportsARateForEachServerAndFile()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            "bash", ["bench/http/run.sh", "--smoke"], TimeSpan.FromMinutes(3));

        string all = result.Output + result.Error;
        Assert.True(result.ExitCode == 0, $"bench/http/run.sh --smoke exited {result.ExitCode}:\n{all}");
        string[] servers = ["sharppxe", "nginx"];
        string[] files = ["f1m.bin", "f64m.bin"];
        foreach (string server in servers)
        {
            foreach (string file in files)
            {
                Assert.True(
                    Regex.IsMatch(result.Output,
                        $@"^rate: server={Regex.Escape(server)} file={Regex.Escape(file)} .*req/s=[\d.]+ MB/s=[\d.]+",
                        RegexOptions.Multiline),
                    $"no rate line for {server} and {file}:\n{all}");
            }
        }
    }
}
