namespace SharpPxe.SystemTests;

/// <summary>
/// The README's main-job command (<c>scripts/setup &amp;&amp; scripts/demo</c>) keeps working: the setup step
/// has run before the tests (CI runs <c>scripts/setup &amp;&amp; scripts/test</c>), so this runs the demo as a
/// newcomer would.
/// </summary>
public class MainJobTests
{
    [Fact]
    public async Task ReadmeMainJob_Demo_Succeeds()
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
