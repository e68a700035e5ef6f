using SharpPxe.Config;

namespace SharpPxe.Boot;

/// <summary>
/// Who is asking → what to serve, shared by DHCP, ProxyDHCP, TFTP and HTTP: an ordered list of
/// <see cref="IBootRule"/>, first match wins. Thread-safe: the rule list is fixed at construction and the rules
/// keep no state.
/// </summary>
public sealed class BootPolicy
{
    /// <summary>A policy with the built-in rules (<see cref="BuiltInBootRules.All"/>).</summary>
    /// <param name="options">The merged configuration.</param>
    /// <param name="bindings">Static bindings by MAC.</param>
    /// <param name="fileExists">Whether a name exists in the netboot directory; see
    /// <see cref="NetbootDirectoryProbe"/>.</param>
    public BootPolicy(
        SharpPxeOptions options, IReadOnlyDictionary<string, StaticBinding> bindings, Func<string, bool> fileExists)
        : this(
            new BootContext(options, bindings, fileExists),
            [.. ConfiguredBootRule.FromOptions(options), .. BuiltInBootRules.All])
    {
    }

    /// <summary>A policy with its own rule list, e.g. configured rules followed by the built-in ones.</summary>
    public BootPolicy(BootContext context, IEnumerable<IBootRule> rules)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rules);
        Context = context;
        Rules = [.. rules];
        if (Rules.Any(rule => rule is null))
        {
            throw new ArgumentException("The rule list has a null entry.", nameof(rules));
        }
    }

    public BootContext Context { get; }

    /// <summary>The rules in the order they are tried.</summary>
    public IReadOnlyList<IBootRule> Rules { get; }

    /// <summary>
    /// The first matching rule's decision; when none matches (a rule list without the default rule), the
    /// default rule's.
    /// </summary>
    public BootDecision Decide(BootRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (IBootRule rule in Rules)
        {
            if (rule.Matches(request, Context))
            {
                return rule.Decide(request, Context);
            }
        }

        return BuiltInBootRules.Default.Decide(request, Context);
    }

    /// <summary>
    /// A <c>fileExists</c> for a real netboot directory. Names are relative to it; rooted names and names that
    /// climb out with ".." are reported missing. Looked up on every call, so files may be added while serving.
    /// </summary>
    public static Func<string, bool> NetbootDirectoryProbe(string netbootDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(netbootDir);
        return name => !string.IsNullOrEmpty(name)
            && !Path.IsPathRooted(name)
            && !name.Split('/', '\\').Contains("..", StringComparer.Ordinal)
            && File.Exists(Path.Combine(netbootDir, name));
    }
}
