using System.Text.Json;
using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Protocol;

/// <summary>The parts of a chat completion request the simulator answers from.</summary>
internal sealed class ChatRequest
{
    public required string Model { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>; null = no cap.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Hash of the messages and the request's seed (not the model): decides the answer text.</summary>
    public ulong PromptHash { get; init; }

    public int PromptTokens { get; init; }

    public ToolCallPlan? ToolCall { get; init; }

    /// <summary>The text of the last user message: model-like answers take their topic from it.</summary>
    public string? LastUserText { get; init; }

    /// <summary><c>response_format</c> is <c>json_object</c> or <c>json_schema</c>.</summary>
    public bool Json { get; init; }

    /// <summary>The schema of a <c>json_schema</c> response format (a copy, independent of the request document).</summary>
    public JsonElement? JsonSchema { get; init; }

    public static ChatRequest? Parse(JsonElement root, out OpenAIError? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = OpenAIError.Invalid("The request body must be a JSON object.");
            return null;
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
        {
            error = OpenAIError.Invalid("you must provide a model parameter", "model", "missing_required_parameter");
            return null;
        }

        if (modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { Length: > 0 } model)
        {
            error = OpenAIError.Invalid("Invalid type for 'model': expected a non-empty string.", "model", "invalid_type");
            return null;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            error = OpenAIError.Missing("messages");
            return null;
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            error = OpenAIError.Invalid("Invalid type for 'messages': expected an array of objects.", "messages", "invalid_type");
            return null;
        }

        if (messages.GetArrayLength() == 0)
        {
            error = OpenAIError.Invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages", "empty_array");
            return null;
        }

        var hash = default(Fnv1a64);
        var promptTokens = 3;
        string? lastUserText = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role)
                || role.ValueKind != JsonValueKind.String)
            {
                error = OpenAIError.Invalid($"Missing required parameter: 'messages[{index}].role'.", $"messages[{index}].role", "missing_required_parameter");
                return null;
            }

            var roleName = role.GetString()!;
            hash.Append(roleName);
            hash.AppendSeparator();
            promptTokens += 3;
            if (message.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                hash.Append(name.GetString());
                promptTokens++;
            }

            hash.AppendSeparator();
            var text = ContentText(message);
            if (text is not null)
            {
                hash.Append(text);
                promptTokens += Tokenizer.Count(text);
            }

            hash.AppendSeparator();
            if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
                    {
                        var raw = function.GetRawText();
                        hash.Append(raw);
                        promptTokens += Tokenizer.Count(raw);
                    }
                }
            }

            if (message.TryGetProperty("tool_call_id", out var toolCallId) && toolCallId.ValueKind == JsonValueKind.String)
            {
                hash.Append(toolCallId.GetString());
            }

            hash.AppendSeparator();
            if (roleName == "user")
            {
                lastUserText = text;
            }

            index++;
        }

        if (root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number && seed.TryGetInt64(out var seedValue))
        {
            hash.Append("seed");
            hash.Append(seedValue);
        }

        var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
        var includeUsage = stream
            && root.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var usageFlag)
            && usageFlag.ValueKind == JsonValueKind.True;

        int? maxTokens = null;
        foreach (var parameter in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (!root.TryGetProperty(parameter, out var max) || max.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var value) || value < 1)
            {
                error = OpenAIError.Invalid($"Invalid '{parameter}': expected an integer of at least 1.", parameter, "invalid_value");
                return null;
            }

            maxTokens = value;
            break;
        }

        if (!TryReadResponseFormat(root, out var json, out var schema, out error))
        {
            return null;
        }

        var promptHash = hash.Value;
        var toolCall = ToolCallPlanner.Plan(root, lastUserText, promptHash, out var toolError);
        if (toolError is not null)
        {
            error = OpenAIError.Invalid(toolError, "tools");
            return null;
        }

        error = null;
        return new ChatRequest
        {
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            MaxTokens = maxTokens,
            PromptHash = promptHash,
            PromptTokens = promptTokens,
            ToolCall = toolCall,
            LastUserText = lastUserText,
            Json = json,
            JsonSchema = schema,
        };
    }

    // {"type":"text"}, {"type":"json_object"} or {"type":"json_schema","json_schema":{"name":...,"schema":{...}}}.
    private static bool TryReadResponseFormat(JsonElement root, out bool json, out JsonElement? schema, out OpenAIError? error)
    {
        json = false;
        schema = null;
        error = null;
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            error = OpenAIError.Missing("response_format.type");
            return false;
        }

        switch (type.GetString())
        {
            case "text":
                return true;
            case "json_object":
                json = true;
                return true;
            case "json_schema":
                if (!format.TryGetProperty("json_schema", out var definition) || definition.ValueKind != JsonValueKind.Object)
                {
                    error = OpenAIError.Missing("response_format.json_schema");
                    return false;
                }

                json = true;
                if (definition.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.Object)
                {
                    schema = s.Clone();
                }

                return true;
            default:
                error = OpenAIError.Invalid(
                    $"Invalid value: '{type.GetString()}'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                    "response_format.type",
                    "invalid_value");
                return false;
        }
    }

    // Content is a string, an array of parts ({"type":"text","text":...}), or null.
    private static string? ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? text = null;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
            {
                text = text is null ? partText.GetString() : text + "\n" + partText.GetString();
            }
        }

        return text;
    }
}
