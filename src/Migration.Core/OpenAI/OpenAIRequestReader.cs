using System.Buffers;
using System.Text.Json;

namespace Migration.Core.OpenAI;

/// <summary>
/// Reads an OpenAI-style request body (chat completions, embeddings) with a forward-only
/// <see cref="Utf8JsonReader"/>: no DOM, no allocation beyond the model string.
/// </summary>
public static class OpenAIRequestReader
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 256,
    };

    /// <summary>Reads the top-level fields; false when the body is not a JSON object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out OpenAIRequestInfo info)
    {
        info = new OpenAIRequestInfo();
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? model = null;
            var modelIssue = ModelLabelIssue.None;
            bool stream = false, includeUsage = false, hasTools = false, hasInput = false;
            var messages = 0;
            var responseFormat = ResponseFormatKind.Text;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        (model, modelIssue) = ReadModel(ref reader);
                    }

                    reader.Skip();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    reader.Read();
                    includeUsage = ReadIncludeUsage(ref reader);
                }
                else if (reader.ValueTextEquals("messages"u8))
                {
                    reader.Read();
                    messages = CountArray(ref reader);
                }
                else if (reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("functions"u8))
                {
                    reader.Read();
                    hasTools |= CountArray(ref reader) > 0;
                }
                else if (reader.ValueTextEquals("response_format"u8))
                {
                    reader.Read();
                    responseFormat = ReadResponseFormat(ref reader);
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    reader.Read();
                    hasInput = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }

            info = new OpenAIRequestInfo
            {
                Model = model,
                ModelIssue = modelIssue,
                Stream = stream,
                IncludeUsage = includeUsage,
                MessageCount = messages,
                HasTools = hasTools,
                HasInput = hasInput,
                ResponseFormat = responseFormat,
            };
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string that is not text (invalid UTF-8, a lone surrogate escape) where a value is read: not a request
            // the harness can route by; the primary serves it as it is, no error logged per request.
            return false;
        }
    }

    /// <summary>
    /// The same body with the top-level <c>model</c> replaced by <paramref name="newModel"/> (added when absent).
    /// Every other byte is kept as it was (field order, number formats, escapes, whitespace).
    /// </summary>
    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static byte[] RewriteModel(ReadOnlySpan<byte> body, string newModel)
    {
        ArgumentNullException.ThrowIfNull(newModel);
        var encoded = EncodeJsonString(newModel);
        int objectStart = -1, valueStart = -1, valueEnd = -1;
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("The request body is not a JSON object.");
            }

            objectStart = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel)
                {
                    valueStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    valueEnd = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new FormatException("The request body is not a complete JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("The request body is not valid JSON: " + ex.Message, ex);
        }

        if (valueStart >= 0)
        {
            var result = new byte[body.Length - (valueEnd - valueStart) + encoded.Length];
            body[..valueStart].CopyTo(result);
            encoded.CopyTo(result.AsSpan(valueStart));
            body[valueEnd..].CopyTo(result.AsSpan(valueStart + encoded.Length));
            return result;
        }

        // No model field: insert it first, so the rest stays untouched.
        var insertAt = objectStart + 1;
        var rest = body[insertAt..];
        var isEmpty = rest.Trim(" \t\r\n"u8).SequenceEqual("}"u8);
        var prefix = "\"model\":"u8;
        var length = body.Length + prefix.Length + encoded.Length + (isEmpty ? 0 : 1);
        var inserted = new byte[length];
        var at = 0;
        body[..insertAt].CopyTo(inserted);
        at += insertAt;
        prefix.CopyTo(inserted.AsSpan(at));
        at += prefix.Length;
        encoded.CopyTo(inserted.AsSpan(at));
        at += encoded.Length;
        if (!isEmpty)
        {
            inserted[at++] = (byte)',';
        }

        rest.CopyTo(inserted.AsSpan(at));
        return inserted;
    }

    private static byte[] EncodeJsonString(string value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The model label (see <see cref="ModelLabel"/>): never longer than its cap, never invalid text.</summary>
    private static (string Model, ModelLabelIssue Issue) ReadModel(ref Utf8JsonReader reader)
    {
        // An escaped character takes at most 6 bytes (\uXXXX): longer raw values are over the cap, unread.
        var rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (rawLength > ModelLabel.MaxLength * 6)
        {
            return (ModelLabel.Other, ModelLabelIssue.TooLong);
        }

        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone surrogate escape (\ud800): not text; the provider will refuse the request.
            return (ModelLabel.Other, ModelLabelIssue.InvalidText);
        }

        var issue = ModelLabel.Classify(value);
        return issue == ModelLabelIssue.None ? (value, issue) : (ModelLabel.Other, issue);
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                includeUsage = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return includeUsage;
    }

    private static ResponseFormatKind ReadResponseFormat(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return ResponseFormatKind.Text;
        }

        var kind = ResponseFormatKind.Text;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                kind = reader.ValueTextEquals("json_object"u8) ? ResponseFormatKind.JsonObject
                    : reader.ValueTextEquals("json_schema"u8) ? ResponseFormatKind.JsonSchema
                    : ResponseFormatKind.Text;
            }

            reader.Skip();
        }

        return kind;
    }

    private static int CountArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }

        return count;
    }
}
