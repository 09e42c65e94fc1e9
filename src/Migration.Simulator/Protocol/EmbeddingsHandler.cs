using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Migration.Simulator.Content;
using Migration.Simulator.Hosting;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Protocol;

/// <summary>
/// <c>POST /v1/embeddings</c>: one deterministic unit vector per input (string, array of strings, or token
/// arrays), seeded by the input alone so every simulator agrees; <c>encoding_format</c> float or base64.
/// </summary>
internal sealed class EmbeddingsHandler
{
    private const int MaxDimensions = 8192;
    private const int MaxInputs = 2048;

    private readonly SimulatorState _state;

    public EmbeddingsHandler(SimulatorState state) => _state = state;

    public async Task HandleAsync(HttpContext context, SplitMix64 random, SimulatedFault? bodyFault)
    {
        List<ulong>? seeds = null;
        var promptTokens = 0;
        string? model = null;
        var dimensions = _state.Options.EmbeddingDimensions;
        var base64 = false;
        OpenAIError? error = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            error = Parse(document.RootElement, ref model, ref dimensions, ref base64, out seeds, out promptTokens);
        }
        catch (JsonException)
        {
            error = OpenAIError.MalformedJson();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape ("\ud800") parses but cannot be read as a string: a provider answers 400.
            error = OpenAIError.InvalidText();
        }

        if (error is not null)
        {
            await ResponseWriter.WriteErrorAsync(context, error);
            return;
        }

        if (!_state.ServesModel(model!))
        {
            await ResponseWriter.WriteErrorAsync(context, OpenAIError.ModelNotFound(model!));
            return;
        }

        _state.Stats.ModelUsed(model!);
        await _state.DelayAsync(_state.Ttft.Sample(ref random), context.RequestAborted);

        using var buffer = ResponseBuffer.Rent();
        Write(buffer.Json, model!, seeds!, dimensions, base64, promptTokens);
        buffer.EndJson();
        await ResponseWriter.WriteBodyAsync(context, buffer, bodyFault, _state.Stats);
    }

    /// <summary>The vector for one input text (unit length, deterministic, model-independent).</summary>
    internal static float[] Vector(string input, int dimensions)
    {
        var vector = new float[dimensions];
        Fill(Fnv1a64.Hash(input), vector);
        return vector;
    }

    private static OpenAIError? Parse(JsonElement root, ref string? model, ref int dimensions, ref bool base64, out List<ulong> seeds, out int promptTokens)
    {
        seeds = [];
        promptTokens = 0;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return OpenAIError.Invalid("The request body must be a JSON object.");
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
        {
            return OpenAIError.Invalid("you must provide a model parameter", "model", "missing_required_parameter");
        }

        model = modelElement.ValueKind == JsonValueKind.String ? modelElement.GetString() : null;
        if (string.IsNullOrEmpty(model))
        {
            return OpenAIError.Invalid("Invalid type for 'model': expected a non-empty string.", "model", "invalid_type");
        }

        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            return OpenAIError.Missing("input");
        }

        if (root.TryGetProperty("dimensions", out var dims) && dims.ValueKind != JsonValueKind.Null)
        {
            if (dims.ValueKind != JsonValueKind.Number || !dims.TryGetInt32(out dimensions) || dimensions is < 1 or > MaxDimensions)
            {
                return OpenAIError.Invalid("Invalid 'dimensions': expected an integer between 1 and 8192.", "dimensions", "invalid_value");
            }
        }

        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            if (format.ValueKind == JsonValueKind.String && format.ValueEquals("base64"u8))
            {
                base64 = true;
            }
            else if (!(format.ValueKind == JsonValueKind.String && format.ValueEquals("float"u8)))
            {
                return OpenAIError.Invalid("Invalid value for 'encoding_format': expected 'float' or 'base64'.", "encoding_format", "invalid_value");
            }
        }

        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return AddText(input, seeds, ref promptTokens);
            case JsonValueKind.Array when input.GetArrayLength() is > 0 and <= MaxInputs:
                var first = input[0];
                if (first.ValueKind == JsonValueKind.Number)
                {
                    return AddTokens(input, seeds, ref promptTokens); // one input given as token ids
                }

                foreach (var item in input.EnumerateArray())
                {
                    var itemError = item.ValueKind switch
                    {
                        JsonValueKind.String => AddText(item, seeds, ref promptTokens),
                        JsonValueKind.Array => AddTokens(item, seeds, ref promptTokens),
                        _ => InvalidInput(),
                    };
                    if (itemError is not null)
                    {
                        return itemError;
                    }
                }

                return null;
            default:
                return InvalidInput();
        }
    }

    private static OpenAIError? AddText(JsonElement item, List<ulong> seeds, ref int promptTokens)
    {
        var text = item.GetString()!;
        if (text.Length == 0)
        {
            return OpenAIError.Invalid("'$.input' is invalid: an input must not be an empty string.", "input", "invalid_value");
        }

        seeds.Add(Fnv1a64.Hash(text));
        promptTokens += Math.Max(1, Tokenizer.Count(text));
        return null;
    }

    private static OpenAIError? AddTokens(JsonElement tokens, List<ulong> seeds, ref int promptTokens)
    {
        var hash = default(Fnv1a64);
        var count = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Number || !token.TryGetInt64(out var id))
            {
                return InvalidInput();
            }

            hash.Append(id);
            count++;
        }

        if (count == 0)
        {
            return InvalidInput();
        }

        seeds.Add(hash.Value);
        promptTokens += count;
        return null;
    }

    private static OpenAIError InvalidInput() => OpenAIError.Invalid(
        "Invalid 'input': expected a string, an array of strings, or an array of token arrays (at most 2048 inputs).",
        "input",
        "invalid_value");

    private static void Write(Utf8JsonWriter json, string model, List<ulong> seeds, int dimensions, bool base64, int promptTokens)
    {
        var vector = ArrayPool<float>.Shared.Rent(dimensions);
        var bytes = base64 ? ArrayPool<byte>.Shared.Rent(dimensions * sizeof(float)) : null;
        try
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "list"u8);
            json.WriteStartArray("data"u8);
            for (var i = 0; i < seeds.Count; i++)
            {
                var values = vector.AsSpan(0, dimensions);
                Fill(seeds[i], values);
                json.WriteStartObject();
                json.WriteString("object"u8, "embedding"u8);
                json.WriteNumber("index"u8, i);
                if (bytes is not null)
                {
                    for (var d = 0; d < dimensions; d++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), values[d]);
                    }

                    json.WriteBase64String("embedding"u8, bytes.AsSpan(0, dimensions * sizeof(float)));
                }
                else
                {
                    json.WriteStartArray("embedding"u8);
                    foreach (var value in values)
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("model"u8, model);
            json.WriteStartObject("usage"u8);
            json.WriteNumber("prompt_tokens"u8, promptTokens);
            json.WriteNumber("total_tokens"u8, promptTokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
            if (bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }

    private static void Fill(ulong seed, Span<float> values)
    {
        var random = new SplitMix64(seed);
        double norm = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = (float)((random.NextDouble() * 2.0) - 1.0);
            values[i] = value;
            norm += value * value;
        }

        var scale = norm > 0 ? (float)(1.0 / Math.Sqrt(norm)) : 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }
}
