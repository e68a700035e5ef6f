using System.CommandLine;
using SharpPxe.Config;

namespace SharpPxe.Cli;

/// <summary>
/// The command-line flags, made from <see cref="SettingsCatalog"/> so that every setting with a PyPXE flag has
/// it, and read back into a <see cref="ConfigBuilder"/> with the same checks as the file and environment get.
/// </summary>
internal sealed class CliOptions
{
    public CliOptions()
    {
        Config = new Option<string>("--config")
        {
            Description = "SharpPXE or PyPXE JSON configuration file.",
            HelpName = "FILE",
            Recursive = true,
        };
        DumpConfig = new Option<bool>("--dump-config")
        {
            Description = "Print the built-in defaults as a SharpPXE configuration and exit.",
            Arity = ArgumentArity.Zero,
        };
        DumpConfigMerged = new Option<bool>("--dump-config-merged")
        {
            Description = "Print the configuration after merging file, environment and flags, and exit.",
            Arity = ArgumentArity.Zero,
        };

        foreach (SettingDefinition definition in SettingsCatalog.All)
        {
            if (definition.Flag is { } flag)
            {
                var option = new Option<string>(flag)
                {
                    Description = definition.Description,
                    HelpName = definition.ValueName,
                    Recursive = true,
                    // Given more than once, the last one counts, as with PyPXE's argparse (each occurrence still
                    // takes exactly one value: "--tftp-port 1 2" leaves "2" over, which is an error).
                    Arity = ArgumentArity.OneOrMore,
                    CustomParser = result => result.Tokens[^1].Value,
                };
                ValueFlags.Add((definition, option));
            }

            foreach (SettingSwitch settingSwitch in definition.Switches)
            {
                var option = new Option<bool>(settingSwitch.Flag)
                {
                    Description = settingSwitch.Description,
                    Arity = ArgumentArity.Zero,
                    Recursive = true,
                };
                SwitchFlags.Add((definition, settingSwitch, option));
            }
        }
    }

    public Option<string> Config { get; }

    public Option<bool> DumpConfig { get; }

    public Option<bool> DumpConfigMerged { get; }

    public List<(SettingDefinition Definition, Option<string> Option)> ValueFlags { get; } = [];

    public List<(SettingDefinition Definition, SettingSwitch Switch, Option<bool> Option)> SwitchFlags { get; } = [];

    /// <summary>Every flag name, for "did you mean" on an unknown one.</summary>
    public IEnumerable<string> AllFlags =>
        new[] { Config.Name, DumpConfig.Name, DumpConfigMerged.Name, "--help", "--version" }
            .Concat(ValueFlags.Select(f => f.Option.Name))
            .Concat(SwitchFlags.Select(f => f.Option.Name));

    public void AddTo(Command command, bool withDumps)
    {
        command.Options.Add(Config);
        if (withDumps)
        {
            command.Options.Add(DumpConfig);
            command.Options.Add(DumpConfigMerged);
        }

        foreach ((_, Option<string> option) in ValueFlags)
        {
            command.Options.Add(option);
        }

        foreach ((_, _, Option<bool> option) in SwitchFlags)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Builds the configuration in precedence order: defaults, then --config, then SHARPPXE_ variables, then flags.
    /// Problems are left in the builder's <see cref="ConfigBuilder.Errors"/>.
    /// </summary>
    public ConfigBuilder Load(ParseResult parseResult, System.Collections.IDictionary environment)
    {
        var builder = new ConfigBuilder();
        if (parseResult.GetValue(Config) is { Length: > 0 } file)
        {
            builder.AddFile(file);
        }

        builder.AddEnvironment(environment);

        foreach ((SettingDefinition definition, Option<string> option) in ValueFlags)
        {
            if (parseResult.GetResult(option) is { Implicit: false } && parseResult.GetValue(option) is { } text)
            {
                builder.SetText(definition, text, ConfigBuilder.CommandLineSource, option.Name);
            }
        }

        foreach (IGrouping<SettingDefinition, (SettingDefinition Definition, SettingSwitch Switch, Option<bool> Option)>
            group in SwitchFlags
                .Where(f => parseResult.GetResult(f.Option) is { Implicit: false })
                .GroupBy(f => f.Definition))
        {
            var given = group.ToList();
            if (given.Select(f => f.Switch.Value.ToJsonString()).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                builder.AddError(new ConfigError(ConfigBuilder.CommandLineSource,
                    string.Join(" and ", given.Select(f => f.Option.Name)), null,
                    "cannot be used together", "only one of them"));
                continue;
            }

            builder.Set(group.Key, given[0].Switch.Value.DeepClone(), ConfigBuilder.CommandLineSource,
                given[0].Option.Name);
        }

        return builder;
    }
}
