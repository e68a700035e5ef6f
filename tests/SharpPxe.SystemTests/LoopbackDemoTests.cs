namespace SharpPxe.SystemTests;

/// <summary>
/// The README's loopback alternative to the main job (<c>scripts/demo</c>, 127.0.0.1 only, no VM) keeps working:
/// the setup step has run before the tests, so this runs the demo as a newcomer would.
/// </summary>
public class LoopbackDemoTests
{
    [Fact]
    public async Task ReadmeLoopbackDemo_Succeeds()
    {
        string readme = await File.ReadAllTextAsync(RepoPaths.Of("README.md"));
        Assert.Contains("scripts/setup && scripts/demo", readme, StringComparison.Ordinal);

        ProcessResult result = await ProcessRunner.RunAsync("bash", ["scripts/demo"], TimeSpan.FromMinutes(3));

        string all = result.Output + result.Error;
        Assert.True(result.ExitCode == 0, $"scripts/demo exited {result.ExitCode}:\n{all}");
        Assert.Contains("sharppxe check --config", all, StringComparison.Ordinal);
        Assert.Contains("is valid", all, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", all, StringComparison.Ordinal);
    }
}
