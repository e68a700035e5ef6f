namespace SharpPxe.SystemTests.Lab;

/// <summary>
/// A fact that needs network namespaces (root) and the named tools. Outside CI it skips itself when one is
/// missing; under CI (CI=true) it never skips, so a missing tool or privilege fails the run instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute(params string[] tools)
    {
        Tools = tools;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!NetworkLab.IsSupported)
        {
            Skip = "Needs root and ip(8) for network namespaces.";
            return;
        }

        string[] missing = [.. tools.Where(tool => LabCommand.FindProgram(tool) is null)];
        if (missing.Length > 0)
        {
            Skip = $"Not installed: {string.Join(", ", missing)}.";
        }
    }

    /// <summary>The programs the test needs.</summary>
    public IReadOnlyList<string> Tools { get; }
}
