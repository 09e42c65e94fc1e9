using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Content;

/// <summary>
/// Decides whether a chat request is answered with a tool call, and builds its arguments from the function's
/// JSON schema. <c>tool_choice</c> "none" never calls, "required" or a named function always calls, and "auto"
/// (the default) calls the first function whose name shares a word with the last user message
/// (<c>get_weather</c> for "what is the weather in Paris?").
/// </summary>
internal static class ToolCallPlanner
{
    private static readonly string[] GenericWords =
    [
        "get", "set", "list", "create", "update", "delete", "fetch", "find", "query", "lookup", "call", "make", "run",
        "tool", "function", "current", "info", "data",
    ];

    private static readonly string[] PlaceWords = ["location", "city", "place", "country", "region", "address", "destination"];

    /// <summary>
    /// The tool call to answer with, or null for a text answer. <paramref name="error"/> is set (and null returned)
    /// when <c>tools</c> or <c>tool_choice</c> is malformed.
    /// </summary>
    public static ToolCallPlan? Plan(JsonElement request, string? lastUserText, ulong promptHash, out string? error)
    {
        error = null;
        if (!request.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            error = "Invalid type for 'tools': expected an array.";
            return null;
        }

        var mode = "auto";
        string? forcedName = null;
        if (request.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                mode = choice.GetString()!;
                if (mode is not ("auto" or "none" or "required"))
                {
                    error = "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a function.";
                    return null;
                }
            }
            else if (choice.ValueKind == JsonValueKind.Object
                && choice.TryGetProperty("function", out var fn)
                && fn.ValueKind == JsonValueKind.Object
                && fn.TryGetProperty("name", out var fnName)
                && fnName.ValueKind == JsonValueKind.String)
            {
                mode = "named";
                forcedName = fnName.GetString();
            }
            else if (choice.ValueKind != JsonValueKind.Null)
            {
                error = "Invalid value for 'tool_choice'.";
                return null;
            }
        }

        if (mode == "none")
        {
            return null;
        }

        JsonElement? chosen = null;
        JsonElement? first = null;
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object
                || !tool.TryGetProperty("function", out var function)
                || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                error = "Invalid value for 'tools': each tool needs a function with a name.";
                return null;
            }

            first ??= function;
            if (chosen is not null)
            {
                continue;
            }

            var functionName = name.GetString()!;
            if (mode == "named")
            {
                if (string.Equals(functionName, forcedName, StringComparison.Ordinal))
                {
                    chosen = function;
                }
            }
            else if (Mentions(lastUserText, functionName))
            {
                chosen = function;
            }
        }

        if (mode == "named" && chosen is null)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Invalid value for 'tool_choice': no function named '{forcedName}' in 'tools'.");
            return null;
        }

        if (chosen is null && mode == "required")
        {
            chosen = first;
        }

        if (chosen is not { } selected)
        {
            return null;
        }

        var selectedName = selected.GetProperty("name").GetString()!;
        var arguments = BuildArguments(selected, lastUserText, promptHash);
        var id = "call_" + SplitMix64.Mix(promptHash ^ Fnv1a64.Hash(selectedName)).ToString("x16", CultureInfo.InvariantCulture);
        return new ToolCallPlan(id, selectedName, arguments);
    }

    private static bool Mentions(string? text, string functionName)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains(functionName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var word in SplitName(functionName))
        {
            if (word.Length >= 3
                && !GenericWords.Contains(word, StringComparer.OrdinalIgnoreCase)
                && text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // get_weather, getWeather, get-weather => get, weather
    private static List<string> SplitName(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) || (char.IsUpper(c) && current.Length > 0))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }

                if (!char.IsLetterOrDigit(c))
                {
                    continue;
                }
            }

            current.Append(char.ToLowerInvariant(c));
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static string BuildArguments(JsonElement function, string? lastUserText, ulong promptHash)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (function.TryGetProperty("parameters", out var parameters)
                && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("properties", out var properties)
                && properties.ValueKind == JsonValueKind.Object)
            {
                HashSet<string>? required = null;
                if (parameters.TryGetProperty("required", out var requiredList) && requiredList.ValueKind == JsonValueKind.Array)
                {
                    required = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var item in requiredList.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String)
                        {
                            required.Add(item.GetString()!);
                        }
                    }
                }

                var random = new SplitMix64(promptHash);
                foreach (var property in properties.EnumerateObject())
                {
                    if (required is not null && !required.Contains(property.Name))
                    {
                        continue;
                    }

                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Name, property.Value, lastUserText, ref random);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, JsonElement schema, string? lastUserText, ref SplitMix64 random)
    {
        if (schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("enum", out var values)
            && values.ValueKind == JsonValueKind.Array
            && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        var type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : "string";
        switch (type)
        {
            case "integer":
                writer.WriteNumberValue(1 + (long)(random.NextUInt64() % 10));
                break;
            case "number":
                writer.WriteNumberValue(Math.Round(random.NextDouble() * 100, 1));
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "array":
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            case "object":
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(StringValue(name, lastUserText));
                break;
        }
    }

    // A place-like parameter takes the last capitalised word of the user's message ("... in Paris?" => "Paris").
    private static string StringValue(string name, string? lastUserText)
    {
        var isPlace = PlaceWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
        var proper = LastProperNoun(lastUserText);
        if (isPlace)
        {
            return proper ?? "San Francisco";
        }

        return proper ?? (string.IsNullOrWhiteSpace(lastUserText) ? "example" : lastUserText.Trim());
    }

    private static string? LastProperNoun(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string? found = null;
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < words.Length; i++)
        {
            var word = words[i].Trim('?', '!', '.', ',', ';', ':', '"', '\'', '(', ')');
            if (word.Length > 1 && char.IsUpper(word[0]) && word.Skip(1).All(char.IsLetter))
            {
                found = word;
            }
        }

        return found;
    }
}
