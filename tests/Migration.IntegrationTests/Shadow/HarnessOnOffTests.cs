using System.Text;
using Migration.IntegrationTests.Stack;
using Migration.TestKit;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Migration.IntegrationTests.Shadow;

/// <summary>
/// The harness is invisible to clients: the same requests sent to the app with and without it give the same
/// statuses and byte-identical bodies. Each app has its own primary simulator with identical options and a frozen
/// clock, so the n-th request of a run gets the same <c>id</c> and <c>created</c> on both: no field is masked.
/// </summary>
public sealed class HarnessOnOffTests : IAsyncLifetime
{
    private MigrationStack _off = null!;
    private MigrationStack _on = null!;

    public async Task InitializeAsync()
    {
        _off = await MigrationStack.StartAsync(new MigrationStackOptions { Harness = false, SimulatorClock = new FakeClock() });
        _on = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            SimulatorClock = new FakeClock(),

            // Nothing but the app may call this primary, or the request numbering (and so the ids) would shift.
            HarnessKnowsPrimaryUrl = false,
        });
    }

    public async Task DisposeAsync()
    {
        await _on.DisposeAsync();
        await _off.DisposeAsync();
    }

    [Fact]
    public async Task RawHttp_SameRequestsWithAndWithoutHarness_IdenticalStatusesAndBytes()
    {
        (string Route, string Body)[] requests =
        [
            (OpenAIRequests.ChatRoute, OpenAIRequests.Chat("How do I reset my password?")),
            (OpenAIRequests.ChatRoute, OpenAIRequests.ChatStream("Explain our refund policy in two sentences.")),
            (OpenAIRequests.EmbeddingsRoute, OpenAIRequests.Embeddings("refund policy")),
            (OpenAIRequests.ChatRoute, OpenAIRequests.ToolCall("Paris")),
            (OpenAIRequests.ChatRoute, OpenAIRequests.Chat("Hello?", model: "gpt-unknown-model")),
            (OpenAIRequests.ChatRoute, OpenAIRequests.ChatStream("And a streamed tool call?", model: "gpt-4.1-mini")),
        ];

        foreach (var (route, body) in requests)
        {
            var off = await _off.PostAsync(route, body);
            var on = await _on.PostAsync(route, body);

            Assert.Equal(off.Status, on.Status);
            Assert.Equal(off.MediaType, on.MediaType);
            Assert.True(off.Body.AsSpan().SequenceEqual(on.Body), $"Bodies differ for {body}:\n--- without harness ---\n{off.Text}\n--- with harness ---\n{on.Text}");
        }

        // The requests really went through the harness: every one was mirrored and recorded.
        await _on.WaitForShadowRowsAsync(requests.Length);
        Assert.Equal(0, _off.Primary.Stats.TotalRequests - _on.Primary.Stats.TotalRequests);
    }

    [Fact]
    public async Task RawHttp_StreamedAnswer_WholeEventStreamIdentical()
    {
        var body = OpenAIRequests.ChatStream("Write a haiku about migrations.");

        var off = await _off.PostAsync(OpenAIRequests.ChatRoute, body);
        var on = await _on.PostAsync(OpenAIRequests.ChatRoute, body);

        Assert.Equal(200, on.Status);
        Assert.Equal("text/event-stream", on.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", on.Text, StringComparison.Ordinal);
        Assert.Contains("\"usage\":{", on.Text, StringComparison.Ordinal);
        Assert.Equal(off.Text, on.Text);
        await _on.WaitForShadowRowsAsync(1, "streamed");
    }

    [Fact]
    public async Task OpenAISdk_SameCallsWithAndWithoutHarness_SameContentFinishReasonAndUsage()
    {
        var offClient = _off.CreateOpenAIClient();
        var onClient = _on.CreateOpenAIClient();
        ChatMessage[] messages = [new UserChatMessage("What are your opening hours?")];

        var offChat = (await offClient.GetChatClient("gpt-4.1").CompleteChatAsync(messages)).Value;
        var onChat = (await onClient.GetChatClient("gpt-4.1").CompleteChatAsync(messages)).Value;
        Assert.Equal(offChat.Content[0].Text, onChat.Content[0].Text);
        Assert.Equal(offChat.FinishReason, onChat.FinishReason);
        AssertSameUsage(offChat.Usage, onChat.Usage);

        var offStream = await StreamAsync(offClient.GetChatClient("gpt-4.1-mini"), messages);
        var onStream = await StreamAsync(onClient.GetChatClient("gpt-4.1-mini"), messages);
        Assert.NotEmpty(onStream.Text);
        Assert.Equal(offStream.Text, onStream.Text);
        Assert.Equal(offStream.FinishReason, onStream.FinishReason);
        Assert.NotNull(onStream.Usage);
        AssertSameUsage(offStream.Usage!, onStream.Usage!);

        var tool = ChatTool.CreateFunctionTool(
            "get_weather",
            "Current weather of a city",
            BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}"""));
        var toolOptions = new ChatCompletionOptions { Tools = { tool } };
        ChatMessage[] weather = [new UserChatMessage("What is the weather in Lyon?")];
        var offTool = (await offClient.GetChatClient("gpt-4.1").CompleteChatAsync(weather, toolOptions)).Value;
        var onTool = (await onClient.GetChatClient("gpt-4.1").CompleteChatAsync(weather, toolOptions)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, onTool.FinishReason);
        Assert.Equal(offTool.ToolCalls[0].FunctionName, onTool.ToolCalls[0].FunctionName);
        Assert.Equal(offTool.ToolCalls[0].FunctionArguments.ToString(), onTool.ToolCalls[0].FunctionArguments.ToString());
        AssertSameUsage(offTool.Usage, onTool.Usage);

        var embeddingOptions = new EmbeddingGenerationOptions { Dimensions = 16 };
        var offEmbedding = (await offClient.GetEmbeddingClient("text-embedding-3-small").GenerateEmbeddingAsync("opening hours", embeddingOptions)).Value;
        var onEmbedding = (await onClient.GetEmbeddingClient("text-embedding-3-small").GenerateEmbeddingAsync("opening hours", embeddingOptions)).Value;
        Assert.Equal(offEmbedding.ToFloats().ToArray(), onEmbedding.ToFloats().ToArray());

        await _on.WaitForShadowRowsAsync(4);
    }

    private static void AssertSameUsage(ChatTokenUsage expected, ChatTokenUsage actual)
    {
        Assert.Equal(expected.InputTokenCount, actual.InputTokenCount);
        Assert.Equal(expected.OutputTokenCount, actual.OutputTokenCount);
        Assert.Equal(expected.TotalTokenCount, actual.TotalTokenCount);
    }

    private static async Task<(string Text, ChatFinishReason? FinishReason, ChatTokenUsage? Usage)> StreamAsync(ChatClient client, IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        return (text.ToString(), finish, usage);
    }
}
