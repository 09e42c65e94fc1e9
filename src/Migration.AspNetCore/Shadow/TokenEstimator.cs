using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// Counts the tokens of an exchange whose provider returned no usage (a stream sent without
/// <c>stream_options.include_usage</c>, a relay that drops it) with the model's tiktoken encoding
/// (<see cref="TiktokenTokenizer.CreateForModel(string, IReadOnlyDictionary{string, int}?, Normalizer?)"/>: o200k_base for
/// gpt-4o / gpt-4.1 / o-series, cl100k_base for gpt-4 / gpt-3.5 / text-embedding-3; any other model, e.g. a Claude or
/// DeepSeek model, is counted with o200k_base). Prompt tokens follow OpenAI's chat accounting (3 per message, 1 more for a
/// name, 3 to prime the reply) over the text of the messages; tool definitions and images are not counted, so the
/// figure is an estimate and is stored as one. Thread-safe; runs on the shadow workers, never on the request path.
/// </summary>
internal sealed class TokenEstimator
{
    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;
    private const int MaxCachedModels = 64;
    private const string FallbackModel = "gpt-4o";

    private static readonly Lazy<Tokenizer> Fallback = new(() => TiktokenTokenizer.CreateForModel(FallbackModel));

    private readonly ConcurrentDictionary<string, Tokenizer> _byModel = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The usage of a successful chat or embeddings answer counted from <paramref name="requestBody"/> and the answer;
    /// null for a failed answer (what a failed call was billed is unknown without the provider's usage) or another kind.
    /// </summary>
    public TokenUsage? Estimate(string model, ReadOnlySpan<byte> requestBody, ProviderAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!answer.IsSuccess || answer.Kind is not (AnswerKind.Chat or AnswerKind.Embeddings))
        {
            return null;
        }

        var tokenizer = For(model);
        int prompt;
        try
        {
            using var request = JsonDocument.Parse(requestBody.ToArray());
            prompt = answer.Kind == AnswerKind.Chat ? PromptTokens(tokenizer, request.RootElement) : InputTokens(tokenizer, request.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // not a request we can read: no estimate rather than a wrong one
        }

        var completion = 0;
        foreach (var choice in answer.Choices)
        {
            completion += Count(tokenizer, choice.Content) + Count(tokenizer, choice.Refusal);
            foreach (var call in choice.ToolCalls)
            {
                completion += Count(tokenizer, call.Name) + Count(tokenizer, call.Arguments);
            }
        }

        return new TokenUsage(prompt, completion);
    }

    /// <summary>The model's tokenizer; o200k_base when tiktoken does not know the model.</summary>
    internal Tokenizer For(string model)
    {
        if (_byModel.TryGetValue(model, out var known))
        {
            return known;
        }

        Tokenizer tokenizer;
        try
        {
            tokenizer = TiktokenTokenizer.CreateForModel(model);
        }
        catch (NotSupportedException)
        {
            tokenizer = Fallback.Value;
        }

        // Model names come from requests: bounded, so unusual names cannot grow the cache without end.
        if (_byModel.Count < MaxCachedModels)
        {
            _byModel.TryAdd(model, tokenizer);
        }

        return tokenizer;
    }

    private static int PromptTokens(Tokenizer tokenizer, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        var tokens = ReplyPriming;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            tokens += TokensPerMessage;
            foreach (var field in message.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "role":
                        tokens += Count(tokenizer, field.Value);
                        break;
                    case "name":
                        tokens += Count(tokenizer, field.Value) + TokensPerName;
                        break;
                    case "content":
                        tokens += ContentTokens(tokenizer, field.Value);
                        break;
                    case "tool_calls" when field.Value.ValueKind == JsonValueKind.Array:
                        foreach (var call in field.Value.EnumerateArray())
                        {
                            if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function"u8, out var function) && function.ValueKind == JsonValueKind.Object)
                            {
                                tokens += Property(tokenizer, function, "name") + Property(tokenizer, function, "arguments");
                            }
                        }

                        break;
                }
            }
        }

        return tokens;
    }

    private static int InputTokens(Tokenizer tokenizer, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("input"u8, out var input))
        {
            return 0;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return Count(tokenizer, input);
        }

        var tokens = 0;
        foreach (var item in input.EnumerateArray())
        {
            // Strings, or input already in tokens: one number per token, or one array of them per input.
            tokens += item.ValueKind switch
            {
                JsonValueKind.Number => 1,
                JsonValueKind.Array => item.GetArrayLength(),
                _ => Count(tokenizer, item),
            };
        }

        return tokens;
    }

    /// <summary>A message's content: a string, or parts of which the text ones are counted.</summary>
    private static int ContentTokens(Tokenizer tokenizer, JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return Count(tokenizer, content);
        }

        var tokens = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object)
            {
                tokens += Property(tokenizer, part, "text");
            }
        }

        return tokens;
    }

    private static int Property(Tokenizer tokenizer, JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Count(tokenizer, value) : 0;

    private static int Count(Tokenizer tokenizer, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Count(tokenizer, value.GetString()) : 0;

    private static int Count(Tokenizer tokenizer, string? text) =>
        string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);
}
