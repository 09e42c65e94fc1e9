using System.Globalization;
using Migration.Simulator.Content;
using Migration.Simulator.Hosting;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Protocol;

/// <summary>One chat answer, decided before any byte is sent: text (capped by max tokens) or a tool call.</summary>
internal sealed class ChatAnswer
{
    public required string Id { get; init; }

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required string Fingerprint { get; init; }

    /// <summary>The text; null for a tool call.</summary>
    public string? Content { get; init; }

    public ToolCallPlan? ToolCall { get; init; }

    public required string FinishReason { get; init; }

    public required int PromptTokens { get; init; }

    public required int CompletionTokens { get; init; }

    public static ChatAnswer Create(SimulatorState state, ChatRequest request, ref SplitMix64 random)
    {
        var id = "chatcmpl-" + random.NextUInt64().ToString("x16", CultureInfo.InvariantCulture);
        if (request.ToolCall is { } call)
        {
            return new ChatAnswer
            {
                Id = id,
                Created = state.UnixNow(),
                Model = request.Model,
                Fingerprint = state.Fingerprint,
                ToolCall = call,
                FinishReason = "tool_calls",
                PromptTokens = request.PromptTokens,
                CompletionTokens = 3 + Tokenizer.Count(call.Name) + Math.Max(1, call.Arguments.Length / 4),
            };
        }

        var settings = state.Answers;
        string text;
        if (settings.Style == AnswerStyle.Classic)
        {
            text = state.Generator.Generate(request.PromptHash);
        }
        else
        {
            (text, var degraded) = state.ModelLike.Generate(settings, request.PromptHash, request.LastUserText, request.Json, request.JsonSchema);
            if (degraded)
            {
                state.Stats.AnswerDegraded();
            }
        }

        var tokens = Tokenizer.Count(text);
        var finish = "stop";
        if (request.MaxTokens is { } max && max < tokens)
        {
            text = text[..Tokenizer.Advance(text, 0, max)];
            tokens = max;
            finish = "length";
        }

        return new ChatAnswer
        {
            Id = id,
            Created = state.UnixNow(),
            Model = request.Model,
            Fingerprint = state.Fingerprint,
            Content = text,
            FinishReason = finish,
            PromptTokens = request.PromptTokens,
            CompletionTokens = tokens,
        };
    }
}
