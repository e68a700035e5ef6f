using Microsoft.Extensions.Logging;

namespace SharpPxe.Diagnostics;

/// <summary>
/// PyPXE's --debug and --verbose lists turned into a level per service: Debug when --debug names it, Information
/// when --verbose does, Warning otherwise. "all" names every service and "-name" takes one out again.
/// Unlike PyPXE, names are matched whole, not as substrings, and unknown names are refused earlier.
/// </summary>
public static class ServiceLogLevels
{
    /// <summary>The logger category prefix of each service.</summary>
    public static readonly IReadOnlyDictionary<string, string> Categories = new Dictionary<string, string>
    {
        ["dhcp"] = "SharpPxe.Dhcp",
        ["tftp"] = "SharpPxe.Tftp",
        ["http"] = "SharpPxe.Http",
        ["nbd"] = "SharpPxe.Nbd",
    };

    /// <summary>The services a PyPXE-style list selects.</summary>
    public static IReadOnlySet<string> Select(IEnumerable<string> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var items = list.Select(i => i.Trim().ToLowerInvariant()).ToList();
        var selected = new HashSet<string>(StringComparer.Ordinal);
        if (items.Contains("all"))
        {
            selected.UnionWith(Categories.Keys);
        }

        selected.UnionWith(items.Where(Categories.ContainsKey));
        selected.ExceptWith(items.Where(i => i.StartsWith('-')).Select(i => i[1..]));
        return selected;
    }

    /// <summary>The level each service logs at.</summary>
    public static IReadOnlyDictionary<string, LogLevel> Resolve(IEnumerable<string> debug, IEnumerable<string> verbose)
    {
        IReadOnlySet<string> debugSet = Select(debug);
        IReadOnlySet<string> verboseSet = Select(verbose);
        return Categories.Keys.ToDictionary(
            s => s,
            s => debugSet.Contains(s) ? LogLevel.Debug
                : verboseSet.Contains(s) ? LogLevel.Information
                : LogLevel.Warning);
    }
}
