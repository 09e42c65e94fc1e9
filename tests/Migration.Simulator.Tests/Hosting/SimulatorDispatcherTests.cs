using System.ClientModel;
using System.Text.Json;
using Migration.Simulator.Hosting;
using Migration.Simulator.Randomness;
using Migration.TestKit;
using OpenAI.Chat;
using OpenAI.Models;

namespace Migration.Simulator.Tests.Hosting;

public class SimulatorDispatcherTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Chat_ErrorStatusFault_SdkSeesClientResultExceptionWithStatus(int status)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = status switch
        {
            500 => new FaultSettings { Error500Rate = 1 },
            502 => new FaultSettings { Error502Rate = 1 },
            _ => new FaultSettings { Error503Rate = 1 },
        };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(status, error.Status);
        Assert.Equal(1, host.Stats.GetStatusCount(status));
        var fault = status switch { 500 => SimulatedFault.Error500, 502 => SimulatedFault.Error502, _ => SimulatedFault.Error503 };
        Assert.Equal(1, host.Stats.GetFaultCount(fault));
    }

    [Fact]
    public async Task Chat_ErrorStatusFault_BodyHasOpenAIErrorShape()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { Error500Rate = 1 };
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));

        Assert.Equal(500, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Chat_RateLimitFault_RawClientSees429WithRetryAfter()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { Error429Rate = 1, RetryAfterSeconds = 7 };
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", (await SimulatorClients.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_RateLimitFault_SdkSees429AndRetryAfterHeader()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { Error429Rate = 1, RetryAfterSeconds = 3 };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, error.Status);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("3", retryAfter);
        Assert.Equal(1, host.Stats.GetFaultCount(SimulatedFault.Error429));
    }

    [Fact]
    public async Task Chat_ResetFault_SdkSeesTransportErrorWithNoStatus()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { ResetRate = 1 };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(0, error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException, exactMatch: false);
        Assert.Equal(1, host.Stats.GetFaultCount(SimulatedFault.Reset));
        Assert.Equal(0, host.Stats.GetStatusCount(200));
    }

    [Fact]
    public async Task ChatStreaming_ResetFault_SdkThrowsBeforeAnyUpdate()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { ResetRate = 1 };
        var updates = 0;

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var update in SimulatorClients.Chat(host).CompleteChatStreamingAsync([new UserChatMessage("hi")]))
            {
                updates++;
            }
        });

        Assert.Equal(0, error.Status);
        Assert.Equal(0, updates);
    }

    [Fact]
    public async Task ChatStreaming_TruncateFault_SdkEnumerationEndsWithoutFinishReasonOrUsage()
    {
        var options = SimulatorClients.FastOptions();
        options.TokensPerChunk = 1;
        await using var host = await SimulatorHost.StartAsync(options);
        using var http = SimulatorClients.Http(host);
        var full = await http.ChatTextAsync("Tell me about backups.");
        host.Faults = new FaultSettings { TruncateRate = 1 };

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in SimulatorClients.Chat(host).CompleteChatStreamingAsync(
            [new UserChatMessage("Tell me about backups.")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        // What the SDK really does with a stream cut short: it just ends, silently. Callers must notice the
        // missing finish reason themselves.
        Assert.Null(finish);
        Assert.Null(usage);
        Assert.True(text.Length > 0);
        Assert.StartsWith(text.ToString(), full, StringComparison.Ordinal);
        Assert.True(text.Length < full.Length);
        Assert.Equal(1, host.Stats.GetFaultCount(SimulatedFault.Truncate));
    }

    [Fact]
    public async Task ChatStreaming_TruncateFault_RawStreamHasNoDoneMarker()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { TruncateRate = 1 };
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi", extra: ""","stream":true"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"role\":\"assistant\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        Assert.DoesNotContain("finish_reason\":\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_TruncateFault_SdkSeesTransportErrorMidBody()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { TruncateRate = 1 };

        var error = await Record.ExceptionAsync(() => SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")]));

        // Depending on whether the drop reaches the client while it reads the headers or the body, the SDK
        // surfaces a ClientResultException (status 0, from HttpClient.SendAsync) or the raw IOException of its
        // body buffering. Either way: no status, no answer.
        switch (error)
        {
            case ClientResultException transport:
                Assert.Equal(0, transport.Status);
                Assert.IsType<HttpRequestException>(transport.InnerException, exactMatch: false);
                break;
            default:
                Assert.IsType<IOException>(error, exactMatch: false);
                break;
        }

        Assert.Equal(1, host.Stats.GetFaultCount(SimulatedFault.Truncate));
    }

    [Fact]
    public async Task Chat_MalformedFault_SdkThrowsJsonException()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { MalformedRate = 1 };

        await Assert.ThrowsAnyAsync<JsonException>(() => SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(1, host.Stats.GetFaultCount(SimulatedFault.Malformed));
        Assert.Equal(1, host.Stats.GetStatusCount(200));
    }

    [Fact]
    public async Task ChatStreaming_MalformedFault_SdkThrowsJsonException()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { MalformedRate = 1 };

        await Assert.ThrowsAnyAsync<JsonException>(async () =>
        {
            await foreach (var update in SimulatorClients.Chat(host).CompleteChatStreamingAsync([new UserChatMessage("hi")]))
            {
                Assert.NotNull(update);
            }
        });
    }

    [Fact]
    public async Task Chat_HangFault_SdkTimesOutAndServerSeesTheClientLeave()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { HangRate = 1 };
        var client = SimulatorClients.Chat(host, networkTimeout: TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Contains("timeout", error.Message, StringComparison.OrdinalIgnoreCase);
        await Eventually.UntilAsync("host.Stats.InFlight == 0", () => host.Stats.InFlight == 0);
        Assert.Equal(1, host.Stats.GetFaultCount(SimulatedFault.Hang));
        Assert.Equal(0, host.Stats.GetStatusCount(200));
    }

    [Fact]
    public async Task Chat_HangFault_EndsByAbortWhenHangMsPasses()
    {
        var time = new FakeClock();
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions(), time, CancellationToken.None);
        host.Faults = new FaultSettings { HangRate = 1, HangMs = 30_000 };
        using var http = SimulatorClients.Http(host);

        var pending = http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));
        await time.WaitForTimersAsync(1, TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMilliseconds(29_999));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Chat_ExtraLatency_AnswerWaitsForTheClock()
    {
        var time = new FakeClock();
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions(), time, CancellationToken.None);
        host.Faults = new FaultSettings { ExtraLatencyMs = 250 };
        using var http = SimulatorClients.Http(host);

        var pending = http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));
        await time.WaitForTimersAsync(1, TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Outage_EveryV1RouteGets503AndControlStillWorks()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        using (var outage = await http.PutAsync("/_sim/faults", new StringContent("""{"outage":true}""")))
        {
            Assert.Equal(200, (int)outage.StatusCode);
        }

        var chatError = await Assert.ThrowsAsync<ClientResultException>(() => SimulatorClients.Chat(host).CompleteChatAsync([new UserChatMessage("hi")]));
        var modelsError = await Assert.ThrowsAsync<ClientResultException>(() =>
            new OpenAIModelClient(new ApiKeyCredential(SimulatorClients.ApiKey), SimulatorClients.SdkOptions(host)).GetModelsAsync());
        using var embeddings = await http.PostJsonAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":"x"}""");
        using var control = await http.GetAsync("/_sim/stats");
        host.Faults = FaultSettings.None;
        using var after = await http.GetAsync("/v1/models");

        Assert.Equal(503, chatError.Status);
        Assert.Equal(503, modelsError.Status);
        Assert.Equal(503, (int)embeddings.StatusCode);
        Assert.Equal("service_unavailable", (await SimulatorClients.ErrorAsync(embeddings)).GetProperty("code").GetString());
        Assert.Equal(200, (int)control.StatusCode);
        Assert.Equal(200, (int)after.StatusCode);
        Assert.Equal(3, host.Stats.GetFaultCount(SimulatedFault.Outage));
    }

    [Fact]
    public async Task Outage_WithSdkDefaultRetries_IsRetriedBySdk()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { Outage = true };
        var options = SimulatorClients.SdkOptions(host);
        options.RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 1);
        var client = new ChatClient("gpt-4.1", new ApiKeyCredential(SimulatorClients.ApiKey), options);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(503, error.Status);
        Assert.Equal(2, host.Stats.GetFaultCount(SimulatedFault.Outage));
    }

    [Fact]
    public async Task Chat_PartialErrorRate_InjectsAboutThatShare()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        host.Faults = new FaultSettings { Error500Rate = 0.3 };
        using var http = SimulatorClients.Http(host);

        var failed = 0;
        for (var i = 0; i < 500; i++)
        {
            using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody($"q{i}"));
            failed += (int)response.StatusCode == 500 ? 1 : 0;
        }

        Assert.InRange(failed, 110, 190); // 150 expected; ±40 is over 4 standard deviations
        Assert.Equal(failed, host.Stats.GetFaultCount(SimulatedFault.Error500));
        Assert.Equal(500 - failed, host.Stats.GetStatusCount(200));
    }

    [Fact]
    public void Draw_RatesAddingToOne_SplitsDrawsInProportion()
    {
        var faults = new FaultSettings { Error500Rate = 0.25, Error429Rate = 0.25, ResetRate = 0.25, MalformedRate = 0.25 };
        var random = new SplitMix64(42);
        var counts = new Dictionary<SimulatedFault, int>();

        for (var i = 0; i < 40_000; i++)
        {
            var fault = SimulatorDispatcher.Draw(faults, ref random);
            Assert.NotNull(fault);
            counts[fault.Value] = counts.GetValueOrDefault(fault.Value) + 1;
        }

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 9_400, 10_600));
    }

    [Fact]
    public void Draw_NoFaults_ReturnsNull()
    {
        var random = new SplitMix64(1);

        Assert.Null(SimulatorDispatcher.Draw(FaultSettings.None, ref random));
    }

    [Theory]
    [InlineData("POST", "/v1/completions", 404)]
    [InlineData("POST", "/v1/responses", 404)] // the harness refuses the Responses API, so the simulator does not serve it
    [InlineData("GET", "/v1/chat/completions", 405)]
    [InlineData("POST", "/v1/models", 405)]
    [InlineData("GET", "/healthz", 404)]
    public async Task UnknownRouteOrMethod_ReturnsOpenAIShapedError(string method, string path, int status)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null });

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("invalid_request_error", (await SimulatorClients.ErrorAsync(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Stats_CountsRoutesStatusesAndIgnoresControlRoutes()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        (await http.GetAsync("/v1/models")).Dispose();
        (await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("a"))).Dispose();
        (await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("b", "gpt-unknown"))).Dispose();
        (await http.PostJsonAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":"x"}""")).Dispose();
        (await http.GetAsync("/_sim/faults")).Dispose();

        Assert.Equal(4, host.Stats.TotalRequests);
        Assert.Equal(1, host.Stats.GetRouteCount(SimulatorStats.ModelsRoute));
        Assert.Equal(2, host.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        Assert.Equal(1, host.Stats.GetRouteCount(SimulatorStats.EmbeddingsRoute));
        Assert.Equal(3, host.Stats.GetStatusCount(200));
        Assert.Equal(1, host.Stats.GetStatusCount(404));
        Assert.Equal(1, host.Stats.MaxInFlight);
    }
}
