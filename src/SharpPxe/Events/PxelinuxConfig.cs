namespace SharpPxe.Events;

/// <summary>
/// Just enough of the SYSLINUX config language (as PXELINUX reads pxelinux.cfg/...) to know which files a boot
/// loads: keywords are case-insensitive, '#' starts a comment, a LABEL owns the KERNEL/LINUX, INITRD and APPEND
/// lines after it, and lines before the first LABEL are global.
/// </summary>
internal static class PxelinuxConfig
{
    /// <summary>
    /// The last file the config's boot loads: the last initrd of the label it boots, else that label's kernel;
    /// null when it names none. The label booted is DEFAULT's (a DEFAULT that names no label is itself a kernel
    /// and its arguments), else the first one.
    /// </summary>
    public static string? LastFile(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? defaultLine = null;
        string? globalAppend = null;
        var labels = new List<Label>();
        foreach (string raw in config.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.IndexOfAny([' ', '\t']);
            string keyword = space < 0 ? line : line[..space];
            string rest = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            Label? current = labels.Count > 0 ? labels[^1] : null;
            switch (keyword.ToUpperInvariant())
            {
                case "DEFAULT":
                    defaultLine = rest;
                    break;
                case "LABEL":
                    labels.Add(new Label(rest));
                    break;
                case "KERNEL" or "LINUX" when current is not null:
                    current.Kernel = FirstWord(rest);
                    break;
                case "INITRD" when current is not null:
                    current.Initrd = rest;
                    break;
                case "APPEND" when current is not null:
                    current.Append = rest;
                    break;
                case "APPEND":
                    globalAppend = rest;
                    break;
                default:
                    break;
            }
        }

        Label? booted = defaultLine is null
            ? labels.FirstOrDefault()
            : labels.FirstOrDefault(l => string.Equals(l.Name, FirstWord(defaultLine), StringComparison.Ordinal));
        if (booted is null && defaultLine is { Length: > 0 })
        {
            // SYSLINUX boots a DEFAULT that is no label as a command line: the kernel, then its arguments.
            string[] words = defaultLine.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            booted = new Label(words[0]) { Append = words.Length > 1 ? words[1] : null };
        }

        if (booted is null)
        {
            return null;
        }

        // A label without KERNEL boots the file named like the label; a label without APPEND takes the global one.
        string kernel = booted.Kernel ?? FirstWord(booted.Name);
        string? initrds = booted.Initrd ?? InitrdArgument(booted.Append ?? globalAppend);
        string? lastInitrd = initrds?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        return lastInitrd ?? (kernel.Length > 0 ? kernel : null);
    }

    private static string FirstWord(string text) =>
        text.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : string.Empty;

    /// <summary>The value of the last "initrd=" argument of a kernel command line, or null.</summary>
    private static string? InitrdArgument(string? append) =>
        append?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(a => a.StartsWith("initrd=", StringComparison.Ordinal))?["initrd=".Length..];

    private sealed class Label(string name)
    {
        public string Name { get; } = name;

        public string? Kernel { get; set; }

        public string? Initrd { get; set; }

        public string? Append { get; set; }
    }
}
