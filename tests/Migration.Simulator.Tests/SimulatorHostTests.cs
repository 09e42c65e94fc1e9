using Migration.TestKit;
using System.ClientModel;
using System.Diagnostics;
using OpenAI.Chat;

namespace Migration.Simulator.Tests;

public class SimulatorHostTests
{
    [Fact]
    public async Task StartAsync_DefaultOptions_ListensOnLoopbackWithV1BaseUri()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions());

        Assert.StartsWith("http://127.0.0.1:", host.Url, StringComparison.Ordinal);
        Assert.DoesNotMatch(":0$", host.Url);
        Assert.Equal(host.Url + "/v1/", host.BaseUri.ToString());
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new SimulatorOptions { AgreementRate = 2, TtftMedianMs = 100, TtftP99Ms = 50, Models = [] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync(options));

        Assert.Contains("AgreementRate", error.Message, StringComparison.Ordinal);
        Assert.Contains("TtftP99Ms", error.Message, StringComparison.Ordinal);
        Assert.Contains("Models", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WithSdk_ReturnsTextAndUsage()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var client = SimulatorClients.Chat(host);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("How do refunds work?")]);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal("gpt-4.1", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(1, host.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        Assert.Equal(1, host.Stats.GetModelCount("gpt-4.1"));
    }

    [Fact]
    public async Task ChatStreaming_WithChunkDelay_DeltasArriveProgressivelyAndUsageIsParsed()
    {
        const double chunkDelayMs = 40;
        var options = SimulatorClients.FastOptions();
        options.ChunkDelayMedianMs = chunkDelayMs;
        options.ChunkDelayP99Ms = chunkDelayMs; // constant, so the expected spacing is exact
        options.TokensPerChunk = 4;
        await using var host = await SimulatorHost.StartAsync(options);
        var client = SimulatorClients.Chat(host);

        var deltaTimes = new List<long>();
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Explain webhooks step by step.")]))
        {
            if (update.ContentUpdate.Count > 0 && update.ContentUpdate[0].Text.Length > 0)
            {
                deltaTimes.Add(Stopwatch.GetTimestamp());
                text.Append(update.ContentUpdate[0].Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        // Several deltas, and the time between the first and the last is what the per-chunk delays add up to:
        // had the server buffered the stream, they would all arrive together.
        Assert.True(deltaTimes.Count >= 4, $"only {deltaTimes.Count} deltas");
        var spreadMs = Stopwatch.GetElapsedTime(deltaTimes[0], deltaTimes[^1]).TotalMilliseconds;
        Assert.True(spreadMs >= (deltaTimes.Count - 1) * chunkDelayMs * 0.75, $"{deltaTimes.Count} deltas spread over only {spreadMs:F0} ms");
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(Migration.Simulator.Content.Tokenizer.Count(text.ToString()), usage.OutputTokenCount);
        Assert.True(usage.InputTokenCount > 0);
        Assert.Equal(1, host.Stats.StreamedRequests);
    }

    [Fact]
    public async Task Embeddings_WithSdk_ReturnsUnitVectorsOfConfiguredDimension()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var client = SimulatorClients.Embeddings(host);

        var one = await client.GenerateEmbeddingAsync("hello world");
        var many = await client.GenerateEmbeddingsAsync(["hello world", "something else"]);

        var vector = one.Value.ToFloats().ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 3);
        Assert.Equal(2, many.Value.Count);
        Assert.Equal(vector, many.Value[0].ToFloats().ToArray());
        Assert.NotEqual(vector, many.Value[1].ToFloats().ToArray());
        Assert.True(many.Value.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task Embeddings_WithSdkDimensions_UsesRequestedDimension()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var client = SimulatorClients.Embeddings(host);

        var embedding = await client.GenerateEmbeddingAsync("hello", new OpenAI.Embeddings.EmbeddingGenerationOptions { Dimensions = 16 });

        Assert.Equal(16, embedding.Value.ToFloats().Length);
    }

    [Fact]
    public async Task Chat_WrongApiKey_SdkSeesStatus401()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var client = SimulatorClients.Chat(host, apiKey: "sk-wrong");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("Incorrect API key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MissingApiKeyHeader_Returns401InvalidApiKey()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host, apiKey: null);

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("invalid_api_key", (await SimulatorClients.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_NoApiKeyConfigured_AcceptsAnyKey()
    {
        var options = SimulatorClients.FastOptions();
        options.ApiKey = null;
        await using var host = await SimulatorHost.StartAsync(options);

        ChatCompletion completion = await SimulatorClients.Chat(host, apiKey: "anything").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task Chat_SamePromptOnTwoSimulatorsWithDifferentModels_GivesSameContent()
    {
        await using var first = await SimulatorHost.StartAsync(SimulatorClients.FastOptions("openai"));
        await using var second = await SimulatorHost.StartAsync(SimulatorClients.FastOptions("holysheep"));
        using var a = SimulatorClients.Http(first);
        using var b = SimulatorClients.Http(second);

        var once = await a.ChatTextAsync("Tell me about SSO.", "gpt-4.1");
        var twice = await a.ChatTextAsync("Tell me about SSO.", "gpt-4.1");
        var elsewhere = await b.ChatTextAsync("Tell me about SSO.", "gpt-4o-mini");
        var otherPrompt = await a.ChatTextAsync("Tell me about gift cards.", "gpt-4.1");

        Assert.Equal(once, twice);
        Assert.Equal(once, elsewhere);
        Assert.NotEqual(once, otherPrompt);
    }

    [Fact]
    public async Task Chat_RequestSeed_ChangesTheAnswerDeterministically()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var client = SimulatorClients.Chat(host);
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK; the simulator must honour it all the same.
        var seeded = new ChatCompletionOptions { Seed = 7 };
#pragma warning restore OPENAI001

        ChatCompletion unseeded = await client.CompleteChatAsync([new UserChatMessage("Same words")]);
        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage("Same words")], seeded);
        ChatCompletion second = await client.CompleteChatAsync([new UserChatMessage("Same words")], seeded);

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
        Assert.NotEqual(unseeded.Content[0].Text, first.Content[0].Text);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.8, 0.8)]
    [InlineData(0.5, 0.5)]
    public async Task Chat_TwoSimulatorsOverThousandPrompts_AgreeAtTheConfiguredRate(double candidateRate, double expected)
    {
        await using var primary = await SimulatorHost.StartAsync(SimulatorClients.FastOptions("openai"));
        var candidateOptions = SimulatorClients.FastOptions("holysheep");
        candidateOptions.AgreementRate = candidateRate;
        await using var candidate = await SimulatorHost.StartAsync(candidateOptions);
        using var a = SimulatorClients.Http(primary);
        using var b = SimulatorClients.Http(candidate);

        const int prompts = 1000;
        var agreed = 0;
        for (var i = 0; i < prompts; i++)
        {
            var prompt = $"Customer question number {i}: how do I export invoices?";
            var left = await a.ChatTextAsync(prompt, "gpt-4.1");
            var right = await b.ChatTextAsync(prompt, "gpt-4o-mini");
            if (left == right)
            {
                agreed++;
            }
        }

        Assert.InRange(agreed / (double)prompts, expected - 0.04, Math.Min(1.0, expected + 0.04));
    }

    [Fact]
    public async Task Faults_Set_SwapsSettingsAndInvalidSettingsThrow()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());

        host.Faults = new FaultSettings { Error500Rate = 0.25 };

        Assert.Equal(0.25, host.Faults.Error500Rate);
        var error = Assert.Throws<ArgumentException>(() => host.Faults = new FaultSettings { Error500Rate = 0.7, Error503Rate = 0.7 });
        Assert.Contains("more than 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.25, host.Faults.Error500Rate);
    }

    [Fact]
    public async Task DisposeAsync_WhileRequestHangs_EndsTheHangingRequest()
    {
        var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { HangRate = 1, HangMs = 600_000 };
        using var http = SimulatorClients.Http(host);
        var pending = http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));
        await Eventually.UntilAsync("host.Stats.InFlight == 1", () => host.Stats.InFlight == 1);

        await host.DisposeAsync();

        // The simulator aborts the hanging connection on stop; the bound only keeps a broken build from hanging.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Stats_ConcurrentRequests_MaxInFlightCountsThem()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { HangRate = 1 };
        using var http = SimulatorClients.Http(host);
        using var cancel = new CancellationTokenSource();
        var requests = Enumerable.Range(0, 8)
            .Select(i => http.PostAsync("/v1/chat/completions", new StringContent(SimulatorClients.ChatBody($"p{i}")), cancel.Token))
            .ToArray();
        await Eventually.UntilAsync("host.Stats.InFlight == 8", () => host.Stats.InFlight == 8);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(requests));
        await Eventually.UntilAsync("host.Stats.InFlight == 0", () => host.Stats.InFlight == 0);

        Assert.Equal(8, host.Stats.MaxInFlight);
        Assert.Equal(8, host.Stats.GetFaultCount(SimulatedFault.Hang));
    }
}
