using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>Checks the <c>rules</c> list: its shape, its keys and each value, naming <c>rules[N].key</c>.</summary>
internal static class BootRuleValidation
{
    private static readonly string[] s_ruleKeys =
        ["name", "match", "file", "nextServer", "script", "kernel", "initrds", "cmdline", "dhcpOptions"];

    private static readonly string[] s_matchKeys = ["mac", "macPrefix", "arch", "userClass", "vendorClass"];

    private static readonly string[] s_actions = ["file", "script", "kernel"];

    /// <summary>Returns the canonical list, or null with the problem.</summary>
    public static JsonArray? Normalize(JsonNode? node, out string problem)
    {
        problem = string.Empty;
        if (node is not JsonArray rules)
        {
            problem = "is not a list of rules";
            return null;
        }

        var result = new JsonArray();
        for (int i = 0; i < rules.Count; i++)
        {
            string at = $"rules[{i}]";
            if (rules[i] is not JsonObject rule)
            {
                problem = $"has {at}, which is not an object";
                return null;
            }

            if (!CheckRule(rule, at, out problem))
            {
                return null;
            }

            result.Add(rule.DeepClone());
        }

        return result;
    }

    private static bool CheckRule(JsonObject rule, string at, out string problem)
    {
        problem = string.Empty;
        foreach ((string key, JsonNode? value) in rule)
        {
            if (!s_ruleKeys.Contains(key, StringComparer.Ordinal))
            {
                problem = $"has {at}.{key}, which is not a rule key" + Suggestions.Hint(key, s_ruleKeys);
                return false;
            }

            switch (key)
            {
                case "match":
                    if (!CheckMatch(value, $"{at}.match", out problem))
                    {
                        return false;
                    }

                    break;
                case "initrds":
                    if (value is not JsonArray list || list.Any(item => item?.GetValueKind() != JsonValueKind.String))
                    {
                        problem = $"has {at}.initrds, which is not a list of file names";
                        return false;
                    }

                    break;
                case "dhcpOptions":
                    if (!CheckOptions(value, $"{at}.dhcpOptions", out problem))
                    {
                        return false;
                    }

                    break;
                case "nextServer":
                    if (value?.GetValueKind() != JsonValueKind.String
                        || !SettingValues.TryParseIPv4(value.GetValue<string>(), out _))
                    {
                        problem = $"has {at}.nextServer, which is not an IPv4 address";
                        return false;
                    }

                    break;
                default:
                    if (value?.GetValueKind() != JsonValueKind.String)
                    {
                        problem = $"has {at}.{key}, which is not a string";
                        return false;
                    }

                    break;
            }
        }

        int actions = s_actions.Count(rule.ContainsKey);
        if (actions > 1)
        {
            problem = $"has {at} with more than one of file, script and kernel";
            return false;
        }

        if (actions == 0 && !rule.ContainsKey("nextServer") && !rule.ContainsKey("dhcpOptions"))
        {
            problem = $"has {at}, which sets nothing (file, script, kernel, nextServer or dhcpOptions)";
            return false;
        }

        return true;
    }

    private static bool CheckMatch(JsonNode? node, string at, out string problem)
    {
        problem = string.Empty;
        if (node is not JsonObject match)
        {
            problem = $"has {at}, which is not an object";
            return false;
        }

        foreach ((string key, JsonNode? value) in match)
        {
            if (!s_matchKeys.Contains(key, StringComparer.Ordinal))
            {
                problem = $"has {at}.{key}, which is not a match key" + Suggestions.Hint(key, s_matchKeys);
                return false;
            }

            bool ok = key switch
            {
                "mac" => value?.GetValueKind() == JsonValueKind.String
                    && MacAddressText.TryNormalize(value.GetValue<string>(), out _),
                "macPrefix" => value?.GetValueKind() == JsonValueKind.String && IsMacPrefix(value.GetValue<string>()),
                "arch" => value is JsonArray codes ? codes.All(IsArchCode) : IsArchCode(value),
                _ => value?.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0,
            };
            if (!ok)
            {
                problem = $"has {at}.{key} = {value?.ToJsonString() ?? "null"}, which is not "
                    + (key switch
                    {
                        "mac" => "a MAC address",
                        "macPrefix" => "the start of a MAC address",
                        "arch" => "an option 93 code (0-65535) or a list of them",
                        _ => "a non-empty string",
                    });
                return false;
            }
        }

        return true;
    }

    private static bool CheckOptions(JsonNode? node, string at, out string problem)
    {
        problem = string.Empty;
        if (node is not JsonObject options)
        {
            problem = $"has {at}, which is not an object of option codes";
            return false;
        }

        foreach ((string code, JsonNode? value) in options)
        {
            if (!byte.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out byte number)
                || number is 0 or 255 or 53 or 54 or 52)
            {
                problem = $"has {at}.{code}, which is not an option code SharpPXE lets a rule set (1-254, not 52-54)";
                return false;
            }

            if (value?.GetValueKind() != JsonValueKind.String || !TryEncode(value.GetValue<string>(), out _))
            {
                problem = $"has {at}.{code}, whose value is not an IPv4 address, \"hex:…\" or text of 1-255 bytes";
                return false;
            }
        }

        return true;
    }

    /// <summary>An option value as written: an IPv4 address, "hex:" and hex digits, or text.</summary>
    public static bool TryEncode(string text, out byte[] value)
    {
        value = [];
        if (SettingValues.TryParseIPv4(text, out IPAddress? address))
        {
            value = address.GetAddressBytes();
        }
        else if (text.StartsWith("hex:", StringComparison.Ordinal))
        {
            try
            {
                value = Convert.FromHexString(text.AsSpan(4).ToString().Replace(":", "", StringComparison.Ordinal));
            }
            catch (FormatException)
            {
                return false;
            }
        }
        else
        {
            value = System.Text.Encoding.UTF8.GetBytes(text);
        }

        return value.Length is > 0 and <= byte.MaxValue;
    }

    private static bool IsArchCode(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out int code) && code is >= 0
            and <= ushort.MaxValue;

    private static bool IsMacPrefix(string text)
    {
        string hex = new(text.Where(char.IsAsciiHexDigit).ToArray());
        return hex.Length is > 0 and <= 12 && text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '-' or '.');
    }
}
