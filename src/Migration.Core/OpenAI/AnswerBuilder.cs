using System.Text;
using System.Text.Json;

namespace Migration.Core.OpenAI;

/// <summary>Accumulates chat choices (whole messages or stream deltas) into <see cref="ChoiceAnswer"/>s.</summary>
internal sealed class AnswerBuilder
{
    private readonly SortedDictionary<int, ChoiceBuilder> _choices = [];

    public string? Model { get; set; }

    public TokenUsage? Usage { get; set; }

    public IReadOnlyList<ChoiceAnswer> BuildChoices()
    {
        if (_choices.Count == 0)
        {
            return [];
        }

        var list = new List<ChoiceAnswer>(_choices.Count);
        foreach (var (index, choice) in _choices)
        {
            list.Add(choice.Build(index));
        }

        return list;
    }

    /// <summary>Applies one element of <c>choices</c>; returns true when it carried content or a tool call fragment.</summary>
    public bool ApplyChoice(JsonElement choice, int position, bool isDelta)
    {
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var index = choice.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : position;
        if (!_choices.TryGetValue(index, out var builder))
        {
            builder = new ChoiceBuilder();
            _choices.Add(index, builder);
        }

        if (choice.TryGetProperty("finish_reason"u8, out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            builder.FinishReason = finish.GetString();
        }

        var hasContent = false;
        if (choice.TryGetProperty(isDelta ? "delta"u8 : "message"u8, out var message) && message.ValueKind == JsonValueKind.Object)
        {
            if (message.TryGetProperty("content"u8, out var content))
            {
                hasContent |= builder.AppendContent(content);
            }

            if (message.TryGetProperty("refusal"u8, out var refusal) && refusal.ValueKind == JsonValueKind.String)
            {
                hasContent |= builder.AppendRefusal(refusal.GetString()!);
            }

            if (message.TryGetProperty("reasoning_content"u8, out var reasoning) && reasoning.ValueKind == JsonValueKind.String && !reasoning.ValueEquals(""u8))
            {
                // Reasoning tokens are not compared, but they are the first tokens the client receives.
                hasContent = true;
            }

            if (message.TryGetProperty("tool_calls"u8, out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
            {
                var position2 = 0;
                foreach (var call in toolCalls.EnumerateArray())
                {
                    hasContent |= builder.ApplyToolCall(call, position2++, isDelta);
                }
            }

            if (message.TryGetProperty("function_call"u8, out var legacy) && legacy.ValueKind == JsonValueKind.Object)
            {
                hasContent |= builder.ApplyFunction(-1, legacy, isDelta);
            }
        }
        else if (choice.TryGetProperty("text"u8, out var text))
        {
            // Legacy completions answer.
            hasContent |= builder.AppendContent(text);
        }

        return hasContent;
    }

    public static TokenUsage? ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usage"u8, out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var prompt = ReadInt(usage, "prompt_tokens"u8) ?? ReadInt(usage, "input_tokens"u8) ?? 0;
        var completion = ReadInt(usage, "completion_tokens"u8) ?? ReadInt(usage, "output_tokens"u8) ?? 0;
        var details = usage.TryGetProperty("prompt_tokens_details"u8, out var d) ? d
            : usage.TryGetProperty("input_tokens_details"u8, out var d2) ? d2
            : default;
        var cached = details.ValueKind == JsonValueKind.Object ? ReadInt(details, "cached_tokens"u8) ?? 0 : 0;
        return new TokenUsage(prompt, completion) { CachedPromptTokens = Math.Clamp(cached, 0, prompt) };
    }

    public static string? ReadErrorMessage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error"u8, out var error))
        {
            return null;
        }

        return error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
            JsonValueKind.Object => error.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => error.GetRawText(),
        };
    }

    private static int? ReadInt(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    private sealed class ChoiceBuilder
    {
        private readonly SortedDictionary<int, ToolCallBuilder> _toolCalls = [];
        private StringBuilder? _content;
        private StringBuilder? _refusal;

        public string? FinishReason { get; set; }

        public bool AppendContent(JsonElement content)
        {
            switch (content.ValueKind)
            {
                case JsonValueKind.String:
                    var text = content.GetString()!;
                    (_content ??= new StringBuilder()).Append(text);
                    return text.Length > 0;
                case JsonValueKind.Array:
                    // Content parts: [{"type":"text","text":"..."}].
                    var any = false;
                    foreach (var part in content.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text"u8, out var t) && t.ValueKind == JsonValueKind.String)
                        {
                            var s = t.GetString()!;
                            (_content ??= new StringBuilder()).Append(s);
                            any |= s.Length > 0;
                        }
                    }

                    return any;
                default:
                    return false;
            }
        }

        public bool AppendRefusal(string text)
        {
            (_refusal ??= new StringBuilder()).Append(text);
            return text.Length > 0;
        }

        public bool ApplyToolCall(JsonElement call, int position, bool isDelta)
        {
            if (call.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var index = call.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : position;
            if (call.TryGetProperty("function"u8, out var function) && function.ValueKind == JsonValueKind.Object)
            {
                return ApplyFunction(index, function, isDelta);
            }

            GetOrAdd(index);
            return false;
        }

        public bool ApplyFunction(int index, JsonElement function, bool isDelta)
        {
            var builder = GetOrAdd(index);
            var any = false;
            if (function.TryGetProperty("name"u8, out var name) && name.ValueKind == JsonValueKind.String)
            {
                var s = name.GetString()!;
                // Deltas carry the name once; some relays repeat it in every chunk: do not double it.
                if (!isDelta || builder.Name.Length == 0)
                {
                    builder.Name.Clear().Append(s);
                }
                else if (!builder.Name.Equals(s))
                {
                    builder.Name.Append(s);
                }

                any |= s.Length > 0;
            }

            if (function.TryGetProperty("arguments"u8, out var args))
            {
                var s = args.ValueKind switch
                {
                    JsonValueKind.String => args.GetString()!,
                    JsonValueKind.Null => string.Empty,
                    _ => args.GetRawText(), // a relay that sends arguments as an object
                };
                if (!isDelta)
                {
                    builder.Arguments.Clear();
                }

                builder.Arguments.Append(s);
                any |= s.Length > 0;
            }

            return any;
        }

        public ChoiceAnswer Build(int index)
        {
            IReadOnlyList<ToolCallAnswer> calls = _toolCalls.Count == 0
                ? []
                : _toolCalls.Values.Select(c => new ToolCallAnswer(c.Name.ToString(), c.Arguments.ToString())).ToList();
            return new ChoiceAnswer(index, _content?.ToString(), FinishReason, calls) { Refusal = _refusal?.ToString() };
        }

        private ToolCallBuilder GetOrAdd(int index)
        {
            if (!_toolCalls.TryGetValue(index, out var builder))
            {
                builder = new ToolCallBuilder();
                _toolCalls.Add(index, builder);
            }

            return builder;
        }
    }

    private sealed class ToolCallBuilder
    {
        public StringBuilder Name { get; } = new();

        public StringBuilder Arguments { get; } = new();
    }
}
