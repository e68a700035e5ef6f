using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpPxe.Config;

/// <summary>
/// Checks a setting's value against its <see cref="SettingKind"/> and gives it one canonical JSON form, whether it
/// came from a JSON file, an environment variable or a command-line flag.
/// </summary>
public static class SettingValues
{
    /// <summary>What a value of this kind must look like, for error messages.</summary>
    public static string Expected(SettingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Kind switch
        {
            SettingKind.Bool => "true or false",
            SettingKind.Port => "a port number from 1 to 65535",
            SettingKind.WholeNumber => $"a whole number from {definition.Minimum} to {definition.Maximum}",
            SettingKind.IPv4 when definition.AllowEmpty => "an IPv4 address such as 198.18.0.1, or \"\"",
            SettingKind.IPv4 => "an IPv4 address such as 198.18.0.1",
            SettingKind.Netmask => "an IPv4 netmask with contiguous ones, such as 255.255.255.0",
            SettingKind.Text or SettingKind.Path => "a string",
            SettingKind.OptionalText => "a string, or null",
            SettingKind.IPv4List => "a list of IPv4 addresses such as [\"198.18.0.1\"]",
            SettingKind.ServiceList => "a comma list of " + string.Join(", ", SettingsCatalog.ServiceNames)
                + " or all, each optionally preceded by - to exclude it",
            SettingKind.Choice => "one of " + string.Join(", ", definition.Choices),
            SettingKind.Rules => "a list of rules as the README's \"Boot rules\" describes",
            _ => "a valid value",
        };
    }

    /// <summary>
    /// Checks a JSON value. With <paramref name="lenient"/> (PyPXE files, whose values PyPXE never type-checked),
    /// numbers written as strings and a single address where a list is wanted are accepted.
    /// </summary>
    public static bool TryNormalize(
        SettingDefinition definition, JsonNode? node, bool lenient, out JsonNode? normalized, out string problem)
    {
        ArgumentNullException.ThrowIfNull(definition);
        normalized = null;
        problem = string.Empty;
        JsonValueKind kind = node?.GetValueKind() ?? JsonValueKind.Null;

        switch (definition.Kind)
        {
            case SettingKind.Bool:
                if (kind is JsonValueKind.True or JsonValueKind.False)
                {
                    normalized = node!.GetValue<bool>();
                    return true;
                }

                if (lenient && kind == JsonValueKind.String && TryParseBool(node!.GetValue<string>(), out bool b))
                {
                    normalized = b;
                    return true;
                }

                return WrongType(kind, out problem);

            case SettingKind.Port:
            case SettingKind.WholeNumber:
                return TryNormalizeInteger(definition, node, kind, lenient, out normalized, out problem);

            case SettingKind.IPv4:
            case SettingKind.Netmask:
                if (kind != JsonValueKind.String)
                {
                    return WrongType(kind, out problem);
                }

                return TryParseText(definition, node!.GetValue<string>(), out normalized, out problem);

            case SettingKind.Text:
            case SettingKind.Path:
                if (kind != JsonValueKind.String)
                {
                    return WrongType(kind, out problem);
                }

                normalized = node!.GetValue<string>();
                return true;

            case SettingKind.OptionalText:
                if (kind == JsonValueKind.Null)
                {
                    return true;
                }

                if (kind != JsonValueKind.String)
                {
                    return WrongType(kind, out problem);
                }

                string text = node!.GetValue<string>();
                normalized = text.Length == 0 ? null : text;
                return true;

            case SettingKind.Choice:
                if (kind != JsonValueKind.String)
                {
                    return WrongType(kind, out problem);
                }

                return TryParseText(definition, node!.GetValue<string>(), out normalized, out problem);

            case SettingKind.IPv4List:
            case SettingKind.ServiceList:
                return TryNormalizeList(definition, node, kind, lenient, out normalized, out problem);

            case SettingKind.Rules:
                normalized = BootRuleValidation.Normalize(node, out problem);
                return normalized is not null;

            default:
                problem = "has a kind this version cannot read";
                return false;
        }
    }

    /// <summary>Parses a value written as text, as in an environment variable or after a command-line flag.</summary>
    public static bool TryParseText(
        SettingDefinition definition, string text, out JsonNode? normalized, out string problem)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(text);
        normalized = null;
        problem = string.Empty;
        string trimmed = text.Trim();

        switch (definition.Kind)
        {
            case SettingKind.Bool:
                if (TryParseBool(trimmed, out bool b))
                {
                    normalized = b;
                    return true;
                }

                problem = "is not true or false";
                return false;

            case SettingKind.Port:
            case SettingKind.WholeNumber:
                if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
                {
                    problem = "is not a whole number";
                    return false;
                }

                return CheckRange(definition, number, out normalized, out problem);

            case SettingKind.IPv4:
                if (trimmed.Length == 0 && definition.AllowEmpty)
                {
                    normalized = string.Empty;
                    return true;
                }

                if (!TryParseIPv4(trimmed, out IPAddress? address))
                {
                    problem = "is not an IPv4 address";
                    return false;
                }

                normalized = address.ToString();
                return true;

            case SettingKind.Netmask:
                if (!TryParseIPv4(trimmed, out IPAddress? mask))
                {
                    problem = "is not an IPv4 netmask";
                    return false;
                }

                if (!IsContiguousNetmask(mask))
                {
                    problem = "is not a netmask: its one bits are not contiguous";
                    return false;
                }

                normalized = mask.ToString();
                return true;

            case SettingKind.Text:
            case SettingKind.Path:
                normalized = text;
                return true;

            case SettingKind.OptionalText:
                normalized = trimmed.Length == 0 ? null : text;
                return true;

            case SettingKind.Choice:
                string word = trimmed.ToLowerInvariant();
                if (!definition.Choices.Contains(word, StringComparer.Ordinal))
                {
                    problem = "is not a known value" + Suggestions.Hint(word, definition.Choices);
                    return false;
                }

                normalized = word;
                return true;

            case SettingKind.IPv4List:
            case SettingKind.ServiceList:
                var items = new JsonArray();
                foreach (string item in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    items.Add(item.Trim());
                }

                return TryNormalizeList(definition, items, JsonValueKind.Array, lenient: false, out normalized,
                    out problem);

            case SettingKind.Rules:
                try
                {
                    normalized = BootRuleValidation.Normalize(JsonNode.Parse(text), out problem);
                }
                catch (JsonException ex)
                {
                    problem = "is not valid JSON: " + ex.Message;
                    normalized = null;
                }

                return normalized is not null;

            default:
                problem = "has a kind this version cannot read";
                return false;
        }
    }

    /// <summary>Parses a strict dotted quad: four decimal numbers 0-255, nothing else.</summary>
    public static bool TryParseIPv4(
        string text,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string[] parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>True when the mask is ones followed by zeros (0.0.0.0 and 255.255.255.255 included).</summary>
    public static bool IsContiguousNetmask(IPAddress mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        uint value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
        uint inverted = ~value;
        return (inverted & (inverted + 1)) == 0;
    }

    private static bool TryNormalizeInteger(
        SettingDefinition definition, JsonNode? node, JsonValueKind kind, bool lenient,
        out JsonNode? normalized, out string problem)
    {
        normalized = null;
        if (kind == JsonValueKind.Number)
        {
            if (!node!.AsValue().TryGetValue(out long number)
                && !(node.AsValue().TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < 1e15
                    && (number = (long)d) == d))
            {
                problem = "is not a whole number";
                return false;
            }

            return CheckRange(definition, number, out normalized, out problem);
        }

        if (lenient && kind == JsonValueKind.String)
        {
            return TryParseText(definition, node!.GetValue<string>(), out normalized, out problem);
        }

        return WrongType(kind, out problem);
    }

    private static bool CheckRange(
        SettingDefinition definition,
        long number,
        out JsonNode? normalized,
        out string problem)
    {
        normalized = null;
        problem = string.Empty;
        (long min, long max) = definition.Kind == SettingKind.Port
            ? (1L, 65535L)
            : (definition.Minimum, definition.Maximum);
        if (number < min || number > max)
        {
            problem = definition.Kind == SettingKind.Port ? "is not a valid port" : "is out of range";
            return false;
        }

        normalized = definition.Kind == SettingKind.Port ? JsonValue.Create((int)number) : JsonValue.Create(number);
        return true;
    }

    private static bool TryNormalizeList(
        SettingDefinition definition, JsonNode? node, JsonValueKind kind, bool lenient,
        out JsonNode? normalized, out string problem)
    {
        normalized = null;
        problem = string.Empty;
        JsonArray source;
        if (kind == JsonValueKind.Array)
        {
            source = node!.AsArray();
        }
        else if (kind == JsonValueKind.String && (lenient || definition.Kind == SettingKind.ServiceList))
        {
            // PyPXE writes MODE_DEBUG as "http,tftp" and DHCP_DNS as one address.
            source = [];
            foreach (string item in node!.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                source.Add(item.Trim());
            }
        }
        else
        {
            return WrongType(kind, out problem);
        }

        var result = new JsonArray();
        foreach (JsonNode? item in source)
        {
            if (item?.GetValueKind() != JsonValueKind.String)
            {
                problem = "has an item that is not a string";
                return false;
            }

            string text = item.GetValue<string>().Trim();
            if (definition.Kind == SettingKind.IPv4List)
            {
                if (!TryParseIPv4(text, out IPAddress? address))
                {
                    problem = $"has \"{text}\", which is not an IPv4 address";
                    return false;
                }

                result.Add(address.ToString());
            }
            else
            {
                string word = text.ToLowerInvariant();
                string name = word.StartsWith('-') ? word[1..] : word;
                if (name != "all" && !SettingsCatalog.ServiceNames.Contains(name, StringComparer.Ordinal))
                {
                    problem = $"names \"{text}\", which is not a service"
                        + Suggestions.Hint(name, SettingsCatalog.ServiceNames.Append("all"));
                    return false;
                }

                result.Add(word);
            }
        }

        normalized = result;
        return true;
    }

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static bool WrongType(JsonValueKind kind, out string problem)
    {
        string found = kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
        problem = $"has the wrong type ({found})";
        return false;
    }
}
