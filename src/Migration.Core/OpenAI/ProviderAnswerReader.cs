using System.Buffers.Binary;
using System.Text.Json;

namespace Migration.Core.OpenAI;

/// <summary>
/// Reads a provider's answer body (chat completion JSON, embeddings JSON, OpenAI error body or an SSE stream)
/// into a <see cref="ProviderAnswer"/>. Never throws on bad input: malformed bodies give an answer with
/// <see cref="ProviderAnswer.Error"/> starting with <see cref="MalformedPrefix"/> and <c>Complete = false</c>.
/// </summary>
public static class ProviderAnswerReader
{
    /// <summary>Start of <see cref="ProviderAnswer.Error"/> when the body could not be read.</summary>
    public const string MalformedPrefix = "malformed";

    /// <summary>Start of <see cref="ProviderAnswer.Error"/> when a stream ended without <c>[DONE]</c>.</summary>
    public const string TruncatedPrefix = "truncated stream";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>Reads an answer.</summary>
    /// <param name="status">HTTP status (0 when no response).</param>
    /// <param name="body">The whole body as received.</param>
    /// <param name="contentType">The Content-Type header; <c>text/event-stream</c> selects SSE (a body starting with <c>data:</c>, <c>event:</c> or <c>:</c> is sniffed as SSE too).</param>
    /// <param name="kind">What the request asked for; <see cref="AnswerKind.Unknown"/> infers it from the body.</param>
    public static ProviderAnswer Read(int status, ReadOnlySpan<byte> body, string? contentType, AnswerKind kind)
    {
        if (IsEventStream(body, contentType))
        {
            var sse = new SseAssembler();
            sse.Feed(body);
            return sse.ToAnswer(status);
        }

        var trimmed = body.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return Failed(status, kind, IsSuccessStatus(status) ? MalformedPrefix + " answer: empty body" : "HTTP " + status + ": empty body");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(trimmed.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Failed(status, kind, IsSuccessStatus(status)
                ? MalformedPrefix + " JSON: " + ex.Message
                : "HTTP " + status + ": " + SseAssembler.Preview(trimmed));
        }

        using (doc)
        {
            try
            {
                return ReadRoot(status, doc.RootElement, trimmed, kind);
            }
            catch (InvalidOperationException)
            {
                // A string that is not text (a lone surrogate escape such as \ud800): the answer cannot be read.
                return Failed(status, kind, MalformedPrefix + " answer: a string is not valid text");
            }
        }
    }

    private static ProviderAnswer ReadRoot(int status, JsonElement root, ReadOnlySpan<byte> trimmed, AnswerKind kind)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Failed(status, kind, MalformedPrefix + " answer: the body is not a JSON object");
        }

        var error = AnswerBuilder.ReadErrorMessage(root);
        if (error is not null || !IsSuccessStatus(status))
        {
            return new ProviderAnswer
            {
                Status = status,
                Kind = kind,
                Complete = true,
                Error = error ?? "HTTP " + status + ": " + SseAssembler.Preview(trimmed),
            };
        }

        if (kind == AnswerKind.Unknown)
        {
            kind = root.TryGetProperty("choices"u8, out _) ? AnswerKind.Chat
                : root.TryGetProperty("data"u8, out _) ? AnswerKind.Embeddings
                : AnswerKind.Unknown;
        }

        var model = root.TryGetProperty("model"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var usage = AnswerBuilder.ReadUsage(root);
        return kind switch
        {
            AnswerKind.Chat => ReadChat(status, root, model, usage),
            AnswerKind.Embeddings => ReadEmbeddings(status, root, model, usage),
            _ => new ProviderAnswer { Status = status, Kind = kind, Complete = true, Model = model, Usage = usage },
        };
    }

    /// <summary>True when the body is (or says it is) a server-sent event stream.</summary>
    public static bool IsEventStream(ReadOnlySpan<byte> body, string? contentType)
    {
        if (contentType is not null && contentType.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Sniffed as well: some relays label streams application/json, and JSON never starts like this.
        var start = body.TrimStart(" \t\r\n"u8);
        return start.StartsWith("data:"u8) || start.StartsWith("event:"u8) || start.StartsWith(":"u8);
    }

    private static ProviderAnswer ReadChat(int status, JsonElement root, string? model, TokenUsage? usage)
    {
        if (!root.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return Failed(status, AnswerKind.Chat, MalformedPrefix + " answer: no choices array");
        }

        var builder = new AnswerBuilder { Model = model, Usage = usage };
        var position = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            builder.ApplyChoice(choice, position++, isDelta: false);
        }

        return new ProviderAnswer
        {
            Status = status,
            Kind = AnswerKind.Chat,
            Complete = true,
            Model = model,
            Choices = builder.BuildChoices(),
            Usage = usage,
        };
    }

    private static ProviderAnswer ReadEmbeddings(int status, JsonElement root, string? model, TokenUsage? usage)
    {
        if (!root.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return Failed(status, AnswerKind.Embeddings, MalformedPrefix + " answer: no data array");
        }

        var vectors = new SortedDictionary<int, float[]>();
        var position = 0;
        foreach (var item in data.EnumerateArray())
        {
            var index = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("index"u8, out var i) && i.TryGetInt32(out var n) ? n : position;
            position++;
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("embedding"u8, out var embedding))
            {
                return Failed(status, AnswerKind.Embeddings, MalformedPrefix + " answer: a data item has no embedding");
            }

            var vector = ReadVector(embedding);
            if (vector is null)
            {
                return Failed(status, AnswerKind.Embeddings, MalformedPrefix + " answer: an embedding is neither a number array nor base64");
            }

            vectors[index] = vector;
        }

        return new ProviderAnswer
        {
            Status = status,
            Kind = AnswerKind.Embeddings,
            Complete = true,
            Model = model,
            Embeddings = [.. vectors.Values],
            Usage = usage,
        };
    }

    private static float[]? ReadVector(JsonElement embedding)
    {
        if (embedding.ValueKind == JsonValueKind.Array)
        {
            var vector = new float[embedding.GetArrayLength()];
            var k = 0;
            foreach (var x in embedding.EnumerateArray())
            {
                if (x.ValueKind != JsonValueKind.Number)
                {
                    return null;
                }

                vector[k++] = (float)x.GetDouble();
            }

            return vector;
        }

        if (embedding.ValueKind == JsonValueKind.String && embedding.TryGetBytesFromBase64(out var bytes) && bytes.Length % 4 == 0)
        {
            // encoding_format=base64: little-endian float32s.
            var vector = new float[bytes.Length / 4];
            for (var k = 0; k < vector.Length; k++)
            {
                vector[k] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(k * 4));
            }

            return vector;
        }

        return null;
    }

    private static ProviderAnswer Failed(int status, AnswerKind kind, string error) => new()
    {
        Status = status,
        Kind = kind,
        Complete = false,
        Error = error,
    };

    private static bool IsSuccessStatus(int status) => status is >= 200 and < 300;
}
