using System.Text;
using System.Text.Json;
using SharpPxe.Config;

namespace SharpPxe.Cli;

/// <summary>The manual page that --help prints: flags grouped by service, each with its default.</summary>
internal static class HelpText
{
    private const int FlagColumn = 34;

    public static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine("NAME");
        text.AppendLine("    sharppxe - network boot server: DHCP, ProxyDHCP, TFTP, HTTP and NBD in one program");
        text.AppendLine();
        text.AppendLine("SYNOPSIS");
        text.AppendLine("    sharppxe [serve] [OPTIONS]        run the enabled services until SIGINT or SIGTERM");
        text.AppendLine("    sharppxe check [OPTIONS]          check a configuration and exit");
        text.AppendLine("    sharppxe explain --mac M [--arch N] [--user-class C] [OPTIONS]");
        text.AppendLine("                                      show what a machine would be served, step by step");
        text.AppendLine("    sharppxe try bios|uefi [--config FILE] [--timeout SECONDS] [--mac M]");
        text.AppendLine("                                      boot a throwaway VM through SharpPXE in a network");
        text.AppendLine("                                      namespace of its own (root, qemu) and show the");
        text.AppendLine("                                      timeline and a verdict");
        text.AppendLine("    sharppxe --dump-config            print the defaults as a SharpPXE configuration");
        text.AppendLine("    sharppxe --dump-config-merged     print the merged configuration");
        text.AppendLine();
        text.AppendLine("DESCRIPTION");
        text.AppendLine("    SharpPXE answers every step of a network boot. It takes PyPXE's command line and JSON");
        text.AppendLine("    configuration with PyPXE's meanings and defaults: TFTP on, DHCP and HTTP off, files");
        text.AppendLine("    served from ./netboot. Without --config it reads no file.");
        text.AppendLine();
        text.AppendLine("OPTIONS");
        AppendFlag(text, "--config FILE", "SharpPXE or PyPXE JSON configuration file.", null);
        AppendFlag(text, "--dump-config", "Print the built-in defaults and exit.", null);
        AppendFlag(text, "--dump-config-merged", "Print defaults + file + environment + flags and exit.", null);
        AppendFlag(text, "-h, --help", "Show this page.", null);
        AppendFlag(text, "--version", "Show the version.", null);

        foreach (IGrouping<string, SettingDefinition> group in SettingsCatalog.All.GroupBy(d => d.Group))
        {
            text.AppendLine();
            text.AppendLine($"  {group.Key}");
            foreach (SettingDefinition definition in group)
            {
                if (definition.Flag is { } flag)
                {
                    AppendFlag(text, $"{flag} {definition.ValueName}", definition.Description, DefaultText(definition));
                }

                foreach (SettingSwitch settingSwitch in definition.Switches)
                {
                    bool isDefault = JsonElement.DeepEquals(
                        JsonSerializer.SerializeToElement(settingSwitch.Value),
                        JsonSerializer.SerializeToElement(definition.Default));
                    AppendFlag(text, settingSwitch.Flag,
                        settingSwitch.Description + (isDefault ? " (default)" : string.Empty), null);
                }
            }
        }

        text.AppendLine();
        text.AppendLine("ENVIRONMENT");
        text.AppendLine("    Every setting can also be given as SHARPPXE_<SECTION>__<KEY>, for example");
        text.AppendLine("    SHARPPXE_TFTP__PORT=6969 or SHARPPXE_NETBOOTDIR=/srv/netboot. An unknown SHARPPXE_");
        text.AppendLine("    variable is an error.");
        text.AppendLine();
        text.AppendLine("PRECEDENCE");
        text.AppendLine("    built-in defaults < --config file < environment < command-line flags");
        text.AppendLine();
        text.AppendLine("EXIT STATUS");
        text.AppendLine("    0  stopped cleanly (SIGINT or SIGTERM), or the command succeeded");
        text.AppendLine("    1  a service failed, for example its port was in use");
        text.AppendLine("    2  a bad command line or configuration; the message names the flag or key");
        text.AppendLine("    try: 0 the VM booted, 1 it did not, 2 as above or a prerequisite is missing");
        return text.ToString();
    }

    private static string? DefaultText(SettingDefinition definition) => definition.Default switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String && node.GetValue<string>().Length == 0 => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        var node when node.GetValueKind() == JsonValueKind.Array => node.AsArray().Count == 0 ? null
            : string.Join(',', node.AsArray().Select(i => i?.GetValue<string>())),
        var node => node.ToJsonString(),
    };

    private static void AppendFlag(StringBuilder text, string flag, string description, string? defaultValue)
    {
        string left = "    " + flag;
        string right = defaultValue is null ? description : $"{description} (default: {defaultValue})";
        if (left.Length >= FlagColumn)
        {
            text.AppendLine(left);
            left = string.Empty;
        }

        foreach (string line in Wrap(right, 100 - FlagColumn))
        {
            text.Append(left.PadRight(FlagColumn)).AppendLine(line);
            left = string.Empty;
        }
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
