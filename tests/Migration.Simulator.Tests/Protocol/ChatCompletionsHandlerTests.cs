using System.ClientModel;
using System.Text;
using System.Text.Json;
using Migration.Simulator.Content;
using OpenAI.Chat;

namespace Migration.Simulator.Tests.Protocol;

public partial class ChatCompletionsHandlerTests
{
    private const string WeatherSchema = """
        {"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer"}},"required":["location","unit"]}
        """;

    [Fact]
    public async Task Chat_SdkMaxOutputTokens_SendsMaxCompletionTokensAndCapsWithLength()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync(
            [new UserChatMessage("Explain data retention.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 5 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.Equal(5, Tokenizer.Count(completion.Content[0].Text));
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task Chat_MaxTokensParameter_CapsAnswer(string parameter)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        var full = await http.ChatTextAsync("Explain data retention.");

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("Explain data retention.", extra: $",\"{parameter}\":3"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var choice = document.RootElement.GetProperty("choices")[0];
        var text = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(3, document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(3, Tokenizer.Count(text));
        Assert.StartsWith(text, full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MaxTokensAboveAnswerLength_FinishesWithStop()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync(
            [new UserChatMessage("hi")],
            new ChatCompletionOptions { MaxOutputTokenCount = 4000 });

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task ChatStreaming_MaxOutputTokens_FinishReasonLengthAndUsageMatches()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in SimulatorClients.Chat(host).CompleteChatStreamingAsync(
            [new UserChatMessage("Explain data retention.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 7 }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal(7, usage?.OutputTokenCount);
        Assert.Equal(7, Tokenizer.Count(text.ToString()));
    }

    [Fact]
    public async Task ChatStreaming_Raw_SendsRoleChunkDeltasFinishUsageAndDone()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        var full = await http.ChatTextAsync("Tell me about SSO.");

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("Tell me about SSO.", extra: ""","stream":true,"stream_options":{"include_usage":true}"""));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.True(usageChunk.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var contentChunks = chunks.Skip(1).Take(chunks.Count - 3).ToList();
        Assert.True(contentChunks.Count >= 2, "content should arrive in several chunks");
        var joined = string.Concat(contentChunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal(full, joined);
    }

    [Fact]
    public async Task ChatStreaming_WithoutIncludeUsage_SendsNoUsageChunk()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi", extra: ""","stream":true"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MalformedJson_Returns400InOpenAIShape()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", """{"model":"gpt-4.1","messages":[""");

        Assert.Equal(400, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("parse the JSON body", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4.1"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4.1","messages":"hi"}""", "messages", "invalid_type")]
    [InlineData("""{"model":"gpt-4.1","messages":[]}""", "messages", "empty_array")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"content":"hi"}]}""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens", "invalid_value")]
    public async Task Chat_InvalidRequest_Returns400NamingTheParameter(string body, string param, string code)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(400, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":"caf\ud800e"}]}""")]
    [InlineData("""{"model":"gpt-4.1\udc00","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"\ud83d","content":"hi"}]}""")]
    public async Task Chat_LoneSurrogate_Returns400InOpenAIShape(string body)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(400, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("lone surrogate", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, host.Stats.GetStatusCount(400));
    }

    [Fact]
    public async Task Chat_UnknownModel_Returns404ModelNotFound()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        var sdkError = await Assert.ThrowsAsync<ClientResultException>(() => SimulatorClients.Chat(host, model: "gpt-9").CompleteChatAsync([new UserChatMessage("hi")]));
        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi", "gpt-9"));

        Assert.Equal(404, sdkError.Status);
        Assert.Equal(404, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("gpt-9", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ContentParts_AreReadLikeText()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        var plain = await http.ChatTextAsync("Hello there");

        using var response = await http.PostJsonAsync("/v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":[{"type":"text","text":"Hello there"}]}]}""");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(plain, document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Chat_WeatherQuestionWithWeatherTool_AnswersWithToolCall()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString(WeatherSchema)));

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("What is the weather in Paris today?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        using var arguments = JsonDocument.Parse(call.FunctionArguments.ToString());
        Assert.Equal("Paris", arguments.RootElement.GetProperty("location").GetString());
        Assert.Equal("celsius", arguments.RootElement.GetProperty("unit").GetString());
        Assert.False(arguments.RootElement.TryGetProperty("days", out _)); // not required
    }

    [Fact]
    public async Task Chat_ToolsButUnrelatedQuestion_AnswersWithText()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString(WeatherSchema)));

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("How do refunds work?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
    }

    [Fact]
    public async Task Chat_ToolChoiceRequired_CallsATool()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(ChatTool.CreateFunctionTool("lookup_order", "Order status", BinaryData.FromString("""{"type":"object","properties":{"order_id":{"type":"integer"}},"required":["order_id"]}""")));

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        using var arguments = JsonDocument.Parse(completion.ToolCalls[0].FunctionArguments.ToString());
        Assert.Equal(JsonValueKind.Number, arguments.RootElement.GetProperty("order_id").ValueKind);
    }

    [Fact]
    public async Task Chat_ToolChoiceNone_AnswersWithTextEvenForWeather()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateNoneChoice() };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString(WeatherSchema)));

        ChatCompletion completion = await SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("What is the weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task ChatStreaming_ToolCall_SdkAssemblesNameAndArguments()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString(WeatherSchema)));
        string? name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in SimulatorClients.Chat(host).CompleteChatStreamingAsync([new UserChatMessage("Weather in Berlin?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("Berlin", parsed.RootElement.GetProperty("location").GetString());
    }
}
