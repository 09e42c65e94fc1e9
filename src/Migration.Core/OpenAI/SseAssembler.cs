using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Migration.Core.OpenAI;

/// <summary>
/// Assembles an OpenAI-style server-sent event stream (<c>data: {chunk}</c> ... <c>data: [DONE]</c>) into the
/// final answer, chunk by chunk as bytes arrive: lines may be split across chunks; LF, CRLF and CR end lines.
/// Content deltas are concatenated per choice index, tool call deltas merged by index (name + argument
/// fragments), the last <c>finish_reason</c> and the usage chunk kept. Not thread-safe: one stream, one reader.
/// </summary>
public sealed class SseAssembler
{
    /// <summary>Largest single line or event accepted (a larger one marks the stream malformed).</summary>
    public const int MaxEventBytes = 16 * 1024 * 1024;

    private readonly AnswerBuilder _answer = new();
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private readonly ArrayBufferWriter<byte> _data = new(512);
    private int _dataLines;
    private bool _lastWasCr;
    private bool _eventIsError;
    private bool _finished;
    private string? _error;

    /// <summary>True once a content token (or tool call fragment) has been seen.</summary>
    public bool HasFirstContent { get; private set; }

    /// <summary>True once <c>data: [DONE]</c> was seen.</summary>
    public bool Done { get; private set; }

    /// <summary>The first error seen (error event, error object, malformed chunk); null when none.</summary>
    public string? Error => _error;

    /// <summary>Number of data events processed.</summary>
    public int Events { get; private set; }

    /// <summary>
    /// Feeds the next bytes of the stream. Returns true when this call saw the first content token of the
    /// stream, so a caller can take its time-to-first-token timestamp right then.
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> chunk)
    {
        var hadContent = HasFirstContent;
        while (!chunk.IsEmpty)
        {
            if (_lastWasCr)
            {
                _lastWasCr = false;
                if (chunk[0] == (byte)'\n')
                {
                    chunk = chunk[1..];
                    continue;
                }
            }

            var end = chunk.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                AppendLine(chunk);
                break;
            }

            if (_line.WrittenCount == 0)
            {
                ProcessLine(chunk[..end]);
            }
            else
            {
                AppendLine(chunk[..end]);
                ProcessLine(_line.WrittenSpan);
                _line.ResetWrittenCount();
            }

            _lastWasCr = chunk[end] == (byte)'\r';
            chunk = chunk[(end + 1)..];
        }

        return !hadContent && HasFirstContent;
    }

    /// <summary>
    /// Ends the stream (a last line without a line break and a last event without a blank line still count)
    /// and returns the assembled answer. Complete only when <c>[DONE]</c> was seen and no error.
    /// </summary>
    public ProviderAnswer ToAnswer(int status)
    {
        if (!_finished)
        {
            _finished = true;
            if (_line.WrittenCount > 0)
            {
                ProcessLine(_line.WrittenSpan);
                _line.ResetWrittenCount();
            }

            // An event cut off by the end of the stream is a truncation, not a malformed chunk.
            Dispatch(endOfStream: true);
        }

        var error = _error ?? (Done ? null : ProviderAnswerReader.TruncatedPrefix + ": the stream ended without [DONE]");
        return new ProviderAnswer
        {
            Status = status,
            Kind = AnswerKind.Chat,
            Streamed = true,
            Complete = Done && _error is null,
            Model = _answer.Model,
            Choices = _answer.BuildChoices(),
            Usage = _answer.Usage,
            Error = error,
        };
    }

    private void AppendLine(ReadOnlySpan<byte> part)
    {
        if (_line.WrittenCount + part.Length > MaxEventBytes)
        {
            SetError(ProviderAnswerReader.MalformedPrefix + " stream: a line exceeds " + MaxEventBytes + " bytes");
            _line.ResetWrittenCount();
            return;
        }

        _line.Write(part);
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            Dispatch();
            return;
        }

        if (line[0] == (byte)':')
        {
            return; // comment / keep-alive
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (_data.WrittenCount + value.Length + 1 > MaxEventBytes)
            {
                SetError(ProviderAnswerReader.MalformedPrefix + " stream: an event exceeds " + MaxEventBytes + " bytes");
                return;
            }

            if (_dataLines > 0)
            {
                _data.Write("\n"u8);
            }

            _data.Write(value);
            _dataLines++;
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventIsError = value.SequenceEqual("error"u8);
        }
    }

    private void Dispatch(bool endOfStream = false)
    {
        var isError = _eventIsError;
        _eventIsError = false;
        if (_dataLines == 0)
        {
            return;
        }

        var data = _data.WrittenSpan;
        var lines = _dataLines;
        try
        {
            if (isError)
            {
                SetError(ErrorFromEvent(data));
            }
            else if (TryPayload(data))
            {
                // Applied.
            }
            else if (lines > 1)
            {
                // Lenient: a server that separates events by single line breaks sends one payload per line.
                foreach (var range in data.Split((byte)'\n'))
                {
                    if (!TryPayload(data[range]) && !endOfStream)
                    {
                        SetError(ProviderAnswerReader.MalformedPrefix + " stream chunk: " + Preview(data[range]));
                    }
                }
            }
            else if (!endOfStream)
            {
                SetError(ProviderAnswerReader.MalformedPrefix + " stream chunk: " + Preview(data));
            }
        }
        finally
        {
            _data.ResetWrittenCount();
            _dataLines = 0;
        }
    }

    private bool TryPayload(ReadOnlySpan<byte> payload)
    {
        var trimmed = payload.Trim(" \t"u8);
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            Done = true;
            return true;
        }

        if (trimmed.IsEmpty)
        {
            return true;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(trimmed.ToArray());
        }
        catch (JsonException)
        {
            return false;
        }

        using (doc)
        {
            try
            {
                Events++;
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var error = AnswerBuilder.ReadErrorMessage(root);
                if (error is not null)
                {
                    SetError(error);
                    return true;
                }

                if (root.TryGetProperty("model"u8, out var model) && model.ValueKind == JsonValueKind.String)
                {
                    _answer.Model = model.GetString();
                }

                if (root.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array)
                {
                    var position = 0;
                    foreach (var choice in choices.EnumerateArray())
                    {
                        HasFirstContent |= _answer.ApplyChoice(choice, position++, isDelta: true);
                    }
                }

                _answer.Usage = AnswerBuilder.ReadUsage(root) ?? _answer.Usage;
                return true;
            }
            catch (InvalidOperationException)
            {
                // A string that is not text (a lone surrogate escape): the event cannot be read.
                return false;
            }
        }
    }

    private static string ErrorFromEvent(ReadOnlySpan<byte> data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data.ToArray());
            var root = doc.RootElement;
            var message = AnswerBuilder.ReadErrorMessage(root);
            if (message is not null)
            {
                return message;
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString()!;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not text: use the raw text.
        }

        return data.IsEmpty ? "error event" : Preview(data);
    }

    private void SetError(string message) => _error ??= message;

    internal static string Preview(ReadOnlySpan<byte> data)
    {
        const int Max = 200;
        var text = Encoding.UTF8.GetString(data.Length > Max ? data[..Max] : data);
        return data.Length > Max ? text + "..." : text;
    }
}
