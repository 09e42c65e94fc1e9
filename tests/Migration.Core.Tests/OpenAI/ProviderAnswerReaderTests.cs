using Migration.Core.OpenAI;
using static Migration.Core.Tests.OpenAI.ChatFixtures;

namespace Migration.Core.Tests.OpenAI;

public class ProviderAnswerReaderTests
{
    [Fact]
    public void Read_ChatJson_ReadsContentFinishUsageModel()
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(Json), "application/json", AnswerKind.Chat);

        Assert.True(answer.IsSuccess);
        Assert.False(answer.Streamed);
        Assert.Equal("gpt-4.1-2025-04-14", answer.Model);
        var choice = Assert.Single(answer.Choices);
        Assert.Equal("Hello there! How can I help?", choice.Content);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Empty(choice.ToolCalls);
        Assert.Equal(new TokenUsage(12, 8), answer.Usage);
    }

    [Fact]
    public void Read_CachedTokens_ReadIntoUsage()
    {
        var body = Json.Replace("\"cached_tokens\":0", "\"cached_tokens\":4", StringComparison.Ordinal);

        var answer = ProviderAnswerReader.Read(200, Bytes(body), "application/json", AnswerKind.Chat);

        Assert.Equal(4, answer.Usage!.CachedPromptTokens);
    }

    [Fact]
    public void Read_ContentParts_Concatenated()
    {
        const string Body = """{"choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"Hello "},{"type":"text","text":"world"}]},"finish_reason":"stop"}]}""";

        var answer = ProviderAnswerReader.Read(200, Bytes(Body), "application/json", AnswerKind.Chat);

        Assert.Equal("Hello world", answer.Choices[0].Content);
    }

    [Fact]
    public void Read_ChatSse_AssemblesSameAnswerAsJson()
    {
        var json = ProviderAnswerReader.Read(200, Bytes(Json), "application/json", AnswerKind.Chat);

        var sse = ProviderAnswerReader.Read(200, Bytes(Sse), "text/event-stream; charset=utf-8", AnswerKind.Chat);

        Assert.True(sse.IsSuccess);
        Assert.True(sse.Streamed);
        Assert.Equal(json.Choices[0].Content, sse.Choices[0].Content);
        Assert.Equal(json.Choices[0].FinishReason, sse.Choices[0].FinishReason);
        Assert.Equal(json.Usage, sse.Usage);
        Assert.Equal(json.Model, sse.Model);
    }

    [Fact]
    public void Read_SseWithoutContentType_IsSniffed()
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(Sse), null, AnswerKind.Chat);

        Assert.True(answer.Streamed);
        Assert.True(answer.IsSuccess);
    }

    [Fact]
    public void Read_SseLabelledJson_IsSniffed()
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(Sse), "application/json", AnswerKind.Chat);

        Assert.True(answer.Streamed);
        Assert.True(answer.IsSuccess);
    }

    [Fact]
    public void Read_ToolCallsJson_ReadsNamesAndArguments()
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(ToolJson), "application/json", AnswerKind.Chat);

        var choice = Assert.Single(answer.Choices);
        Assert.Null(choice.Content);
        Assert.Equal("tool_calls", choice.FinishReason);
        Assert.Equal(
            [new ToolCallAnswer("get_weather", """{"city":"Paris","unit":"c"}"""), new ToolCallAnswer("get_time", """{"tz":"Europe/Paris"}""")],
            choice.ToolCalls);
    }

    [Fact]
    public void Read_ToolCallsSse_MergesFragmentsByIndex()
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(ToolSse), "text/event-stream", AnswerKind.Chat);

        Assert.True(answer.IsSuccess);
        var choice = Assert.Single(answer.Choices);
        Assert.Equal(
            [new ToolCallAnswer("get_weather", """{"city":"Paris","unit":"c"}"""), new ToolCallAnswer("get_time", """{"tz":"Europe/Paris"}""")],
            choice.ToolCalls);
        Assert.Equal(new TokenUsage(50, 30), answer.Usage);
    }

    [Fact]
    public void Read_OpenAIErrorBody_SetsErrorMessage()
    {
        const string Body = """{"error":{"message":"Rate limit reached for gpt-4.1","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";

        var answer = ProviderAnswerReader.Read(429, Bytes(Body), "application/json", AnswerKind.Chat);

        Assert.Equal(429, answer.Status);
        Assert.Equal("Rate limit reached for gpt-4.1", answer.Error);
        Assert.False(answer.IsSuccess);
    }

    [Fact]
    public void Read_ErrorStatusWithTextBody_ErrorNamesStatus()
    {
        var answer = ProviderAnswerReader.Read(502, "<html>Bad gateway</html>"u8, "text/html", AnswerKind.Chat);

        Assert.Equal("HTTP 502: <html>Bad gateway</html>", answer.Error);
        Assert.False(answer.IsSuccess);
    }

    [Theory]
    [InlineData("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\"")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"object\":\"chat.completion\"}")]
    public void Read_Malformed2xx_ErrorMalformedNotComplete(string body)
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(body), "application/json", AnswerKind.Chat);

        Assert.False(answer.Complete);
        Assert.StartsWith(ProviderAnswerReader.MalformedPrefix, answer.Error, StringComparison.Ordinal);
        Assert.False(answer.IsSuccess);
    }

    [Fact]
    public void Read_Embeddings_ReadsVectorsInIndexOrder()
    {
        const string Body = """
            {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-0.25]},{"object":"embedding","index":0,"embedding":[1,0]}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":7,"total_tokens":7}}
            """;

        var answer = ProviderAnswerReader.Read(200, Bytes(Body), "application/json", AnswerKind.Embeddings);

        Assert.True(answer.IsSuccess);
        Assert.Equal(AnswerKind.Embeddings, answer.Kind);
        Assert.Equal(2, answer.Embeddings.Count);
        Assert.Equal([1f, 0f], answer.Embeddings[0]);
        Assert.Equal([0.5f, -0.25f], answer.Embeddings[1]);
        Assert.Equal(new TokenUsage(7, 0), answer.Usage);
    }

    [Fact]
    public void Read_EmbeddingsBase64_DecodesFloats()
    {
        var bytes = new byte[8];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), 0.5f);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), -2f);
        var body = "{\"data\":[{\"index\":0,\"embedding\":\"" + Convert.ToBase64String(bytes) + "\"}],\"model\":\"m\"}";

        var answer = ProviderAnswerReader.Read(200, Bytes(body), "application/json", AnswerKind.Unknown);

        Assert.Equal(AnswerKind.Embeddings, answer.Kind);
        Assert.Equal([0.5f, -2f], Assert.Single(answer.Embeddings));
    }

    [Fact]
    public void Read_UnknownKindWithChoices_InfersChat()
    {
        var answer = ProviderAnswerReader.Read(200, Bytes(Json), "application/json", AnswerKind.Unknown);

        Assert.Equal(AnswerKind.Chat, answer.Kind);
        Assert.Single(answer.Choices);
    }

    [Fact]
    public void Read_TruncatedSse_NotCompleteWithTruncatedError()
    {
        var truncated = Sse[..Sse.IndexOf("data: [DONE]", StringComparison.Ordinal)];

        var answer = ProviderAnswerReader.Read(200, Bytes(truncated), "text/event-stream", AnswerKind.Chat);

        Assert.False(answer.Complete);
        Assert.StartsWith(ProviderAnswerReader.TruncatedPrefix, answer.Error, StringComparison.Ordinal);
        Assert.Equal("Hello there! How can I help?", answer.Choices[0].Content);
    }

    [Fact]
    public void Read_SseErrorEvent_SetsError()
    {
        const string Body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\nevent: error\ndata: {\"error\":{\"message\":\"upstream overloaded\"}}\n\ndata: [DONE]\n\n";

        var answer = ProviderAnswerReader.Read(200, Bytes(Body), "text/event-stream", AnswerKind.Chat);

        Assert.Equal("upstream overloaded", answer.Error);
        Assert.False(answer.Complete);
    }

    [Fact]
    public void Read_SseDataWithErrorObject_SetsError()
    {
        const string Body = "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\ndata: [DONE]\n\n";

        var answer = ProviderAnswerReader.Read(200, Bytes(Body), "text/event-stream", AnswerKind.Chat);

        Assert.Equal("The server had an error", answer.Error);
        Assert.False(answer.IsSuccess);
    }

    [Fact]
    public void Read_SseMalformedChunk_ErrorMalformed()
    {
        const string Body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}\n\ndata: [DONE]\n\n";

        var answer = ProviderAnswerReader.Read(200, Bytes(Body), "text/event-stream", AnswerKind.Chat);

        Assert.StartsWith(ProviderAnswerReader.MalformedPrefix, answer.Error, StringComparison.Ordinal);
        Assert.False(answer.Complete);
    }
}
