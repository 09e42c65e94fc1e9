using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Migration.Simulator.Content;
using Migration.Simulator.Hosting;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Protocol;

/// <summary><c>POST /v1/chat/completions</c>, as JSON or as an SSE stream.</summary>
internal sealed class ChatCompletionsHandler
{
    private const int ToolArgumentCharsPerChunk = 16;

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    private readonly SimulatorState _state;

    public ChatCompletionsHandler(SimulatorState state) => _state = state;

    public async Task HandleAsync(HttpContext context, SplitMix64 random, SimulatedFault? bodyFault)
    {
        ChatRequest? request;
        OpenAIError? error;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            _state.KeepChatRequest(document.RootElement);
            request = ChatRequest.Parse(document.RootElement, out error);
        }
        catch (JsonException)
        {
            request = null;
            error = OpenAIError.MalformedJson();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape ("\ud800") parses but cannot be read as a string: a provider answers 400.
            request = null;
            error = OpenAIError.InvalidText();
        }

        if (request is null)
        {
            await ResponseWriter.WriteErrorAsync(context, error!);
            return;
        }

        if (!_state.ServesModel(request.Model))
        {
            await ResponseWriter.WriteErrorAsync(context, OpenAIError.ModelNotFound(request.Model));
            return;
        }

        _state.Stats.ModelUsed(request.Model);
        var answer = ChatAnswer.Create(_state, request, ref random);
        if (request.Stream)
        {
            _state.Stats.Streamed();
            await StreamAsync(context, request, answer, random, bodyFault);
        }
        else
        {
            await RespondAsync(context, answer, random, bodyFault);
        }
    }

    private async Task RespondAsync(HttpContext context, ChatAnswer answer, SplitMix64 random, SimulatedFault? bodyFault)
    {
        // A JSON answer arrives when the whole generation would have finished: TTFT plus the chunk delays.
        var delay = _state.Ttft.Sample(ref random);
        var chunks = ChunkCount(answer);
        for (var i = 1; i < chunks; i++)
        {
            delay += _state.ChunkDelay.Sample(ref random);
        }

        await _state.DelayAsync(delay, context.RequestAborted);

        using var buffer = ResponseBuffer.Rent();
        WriteCompletion(buffer.Json, answer);
        buffer.EndJson();
        await ResponseWriter.WriteBodyAsync(context, buffer, bodyFault, _state.Stats);
    }

    private async Task StreamAsync(HttpContext context, ChatRequest request, ChatAnswer answer, SplitMix64 random, SimulatedFault? bodyFault)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        var ttft = _state.Ttft.Sample(ref random);
        var earlyRole = _state.Options.EarlyRoleChunk;
        if (!earlyRole)
        {
            await _state.DelayAsync(ttft, aborted);
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var pieces = Pieces(answer);
        var truncateAfter = bodyFault == SimulatedFault.Truncate ? Math.Max(1, pieces.Count / 2) : int.MaxValue;

        using (var first = ResponseBuffer.Rent())
        {
            WriteEvent(first, answer, ChunkKind.Role, default);
            if (earlyRole)
            {
                // Real providers flush the headers and the role chunk at once and the first token later:
                // time to first byte and time to first token differ.
                await response.BodyWriter.WriteAsync(first.WrittenMemory, aborted);
                first.Clear();
                await _state.DelayAsync(ttft, aborted);
            }

            if (bodyFault == SimulatedFault.Malformed)
            {
                _state.Stats.FaultInjected(SimulatedFault.Malformed);
                first.WriteRaw("data: {\"id\":\""u8);
                first.WriteRaw(System.Text.Encoding.UTF8.GetBytes(answer.Id));
                first.WriteRaw("\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"unterminated\n\n"u8);
                first.WriteRaw(DoneEvent);
                await response.BodyWriter.WriteAsync(first.WrittenMemory, aborted);
                return;
            }

            if (answer.ToolCall is not null)
            {
                WriteEvent(first, answer, ChunkKind.ToolCallStart, default);
            }

            if (pieces.Count > 0)
            {
                WriteEvent(first, answer, answer.ToolCall is null ? ChunkKind.Content : ChunkKind.ToolArguments, pieces[0]);
            }

            await response.BodyWriter.WriteAsync(first.WrittenMemory, aborted);
        }

        for (var i = 1; i < pieces.Count; i++)
        {
            if (i >= truncateAfter)
            {
                _state.Stats.FaultInjected(SimulatedFault.Truncate);
                return; // ends the chunked response cleanly: no finish_reason, no usage, no [DONE]
            }

            await _state.DelayAsync(_state.ChunkDelay.Sample(ref random), aborted);
            using var buffer = ResponseBuffer.Rent();
            WriteEvent(buffer, answer, answer.ToolCall is null ? ChunkKind.Content : ChunkKind.ToolArguments, pieces[i]);
            await response.BodyWriter.WriteAsync(buffer.WrittenMemory, aborted);
        }

        if (truncateAfter <= pieces.Count)
        {
            _state.Stats.FaultInjected(SimulatedFault.Truncate);
            return;
        }

        using (var last = ResponseBuffer.Rent())
        {
            WriteEvent(last, answer, ChunkKind.Finish, default);
            if (request.IncludeUsage)
            {
                WriteEvent(last, answer, ChunkKind.Usage, default);
            }

            last.WriteRaw(DoneEvent);
            await response.BodyWriter.WriteAsync(last.WrittenMemory, aborted);
        }
    }

    private int ChunkCount(ChatAnswer answer) => answer.Content is { } content
        ? Math.Max(1, (Tokenizer.Count(content) + _state.Options.TokensPerChunk - 1) / _state.Options.TokensPerChunk)
        : Math.Max(1, (answer.ToolCall!.Arguments.Length + ToolArgumentCharsPerChunk - 1) / ToolArgumentCharsPerChunk);

    private List<ReadOnlyMemory<char>> Pieces(ChatAnswer answer)
    {
        var pieces = new List<ReadOnlyMemory<char>>();
        if (answer.Content is { } content)
        {
            var start = 0;
            while (start < content.Length)
            {
                var end = Tokenizer.Advance(content, start, _state.Options.TokensPerChunk);
                if (end <= start)
                {
                    break;
                }

                pieces.Add(content.AsMemory(start, end - start));
                start = end;
            }
        }
        else if (answer.ToolCall is { } call)
        {
            for (var start = 0; start < call.Arguments.Length; start += ToolArgumentCharsPerChunk)
            {
                pieces.Add(call.Arguments.AsMemory(start, Math.Min(ToolArgumentCharsPerChunk, call.Arguments.Length - start)));
            }
        }

        return pieces;
    }

    private static void WriteCompletion(Utf8JsonWriter json, ChatAnswer answer)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, answer.Id);
        json.WriteString("object"u8, "chat.completion"u8);
        json.WriteNumber("created"u8, answer.Created);
        json.WriteString("model"u8, answer.Model);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
        if (answer.Content is { } content)
        {
            json.WriteString("content"u8, content);
        }
        else
        {
            json.WriteNull("content"u8);
        }

        json.WriteNull("refusal"u8);
        if (answer.ToolCall is { } call)
        {
            json.WriteStartArray("tool_calls"u8);
            json.WriteStartObject();
            json.WriteString("id"u8, call.Id);
            json.WriteString("type"u8, "function"u8);
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, call.Name);
            json.WriteString("arguments"u8, call.Arguments);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartArray("annotations"u8);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, answer.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, answer);
        json.WriteString("service_tier"u8, "default"u8);
        json.WriteString("system_fingerprint"u8, answer.Fingerprint);
        json.WriteEndObject();
    }

    private static void WriteEvent(ResponseBuffer buffer, ChatAnswer answer, ChunkKind kind, ReadOnlyMemory<char> text)
    {
        buffer.WriteRaw(DataPrefix);
        var json = buffer.Json;
        json.WriteStartObject();
        json.WriteString("id"u8, answer.Id);
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, answer.Created);
        json.WriteString("model"u8, answer.Model);
        json.WriteString("service_tier"u8, "default"u8);
        json.WriteString("system_fingerprint"u8, answer.Fingerprint);
        json.WriteStartArray("choices"u8);
        if (kind != ChunkKind.Usage)
        {
            json.WriteStartObject();
            json.WriteNumber("index"u8, 0);
            json.WriteStartObject("delta"u8);
            switch (kind)
            {
                case ChunkKind.Role:
                    json.WriteString("role"u8, "assistant"u8);
                    if (answer.ToolCall is null)
                    {
                        json.WriteString("content"u8, ""u8);
                    }
                    else
                    {
                        json.WriteNull("content"u8);
                    }

                    json.WriteNull("refusal"u8);
                    break;
                case ChunkKind.Content:
                    json.WriteString("content"u8, text.Span);
                    break;
                case ChunkKind.ToolCallStart:
                case ChunkKind.ToolArguments:
                    var call = answer.ToolCall!;
                    json.WriteStartArray("tool_calls"u8);
                    json.WriteStartObject();
                    json.WriteNumber("index"u8, 0);
                    if (kind == ChunkKind.ToolCallStart)
                    {
                        json.WriteString("id"u8, call.Id);
                        json.WriteString("type"u8, "function"u8);
                    }

                    json.WriteStartObject("function"u8);
                    if (kind == ChunkKind.ToolCallStart)
                    {
                        json.WriteString("name"u8, call.Name);
                    }

                    json.WriteString("arguments"u8, kind == ChunkKind.ToolCallStart ? default : text.Span);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndArray();
                    break;
                default:
                    break;
            }

            json.WriteEndObject();
            json.WriteNull("logprobs"u8);
            if (kind == ChunkKind.Finish)
            {
                json.WriteString("finish_reason"u8, answer.FinishReason);
            }
            else
            {
                json.WriteNull("finish_reason"u8);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (kind == ChunkKind.Usage)
        {
            WriteUsage(json, answer);
        }

        json.WriteEndObject();
        buffer.EndJson();
        buffer.WriteRaw(EventEnd);
    }

    private static void WriteUsage(Utf8JsonWriter json, ChatAnswer answer)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, answer.PromptTokens);
        json.WriteNumber("completion_tokens"u8, answer.CompletionTokens);
        json.WriteNumber("total_tokens"u8, answer.PromptTokens + answer.CompletionTokens);
        json.WriteStartObject("prompt_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, 0);
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, 0);
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteNumber("accepted_prediction_tokens"u8, 0);
        json.WriteNumber("rejected_prediction_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private enum ChunkKind
    {
        Role,
        Content,
        ToolCallStart,
        ToolArguments,
        Finish,
        Usage,
    }
}
