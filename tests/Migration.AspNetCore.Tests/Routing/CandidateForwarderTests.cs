using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Routing;
using Migration.AspNetCore.Tests.Canary;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.Storage;
using Migration.TestKit;
using Polly.CircuitBreaker;

namespace Migration.AspNetCore.Tests.Routing;

/// <summary>Canary routing through the real middleware: served by the candidate, or falling back to the primary.</summary>
public sealed class CandidateForwarderTests
{
    [Fact]
    public async Task ForwardAsync_CandidateAnswers_ClientGetsCandidateAnswerWithModelAndKeyRewritten()
    {
        await using var app = await CanaryApp.StartAsync();
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CanaryApp.CandidateAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal("candidate", response.Headers.GetValues(CandidateForwarder.ServedByHeader).Single());
        var sent = Assert.Single(app.Candidate.Requests);
        Assert.Contains("\"model\":\"cand-4.1\"", sent.Body, StringComparison.Ordinal);
        Assert.Equal("Bearer " + TestOptions.CandidateKey, sent.Authorization);
        Assert.Equal(0, app.PrimaryCalls);
        var counts = app.CanaryCounts();
        Assert.Equal((1L, 1L, 0L), (counts.Requests, counts.Successes, counts.Fallbacks));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ForwardAsync_CandidateFailsWithStatus_FallsBackToPrimaryAndCountsFallback(int status)
    {
        await using var app = await CanaryApp.StartAsync();
        app.Candidate.Handler = ctx =>
        {
            ctx.Response.StatusCode = status;
            return ctx.Response.WriteAsync("""{"error":{"message":"down"}}""");
        };
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        Assert.Single(app.Candidate.Requests);
        Assert.Equal(1, app.PrimaryCalls);
        var counts = app.CanaryCounts();
        Assert.Equal((1L, 0L, 1L), (counts.Requests, counts.Successes, counts.Fallbacks));
    }

    [Fact]
    public async Task ForwardAsync_ConnectionRefused_FallsBackToPrimary()
    {
        using var refusing = new RefusedPort();
        var url = refusing.BaseUrlV1;
        await using var app = await CanaryApp.StartAsync(o => o.Candidate.BaseUrl = url);
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        Assert.Equal(1, app.CanaryCounts().Fallbacks);
    }

    [Fact]
    public async Task ForwardAsync_NoFirstByteWithinTimeout_FallsBackToPrimary()
    {
        using var release = new CancellationTokenSource();
        await using var app = await CanaryApp.StartAsync(o => o.Canary.FirstByteTimeout = TimeSpan.FromSeconds(3));
        app.Candidate.Handler = async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.StartAsync();
            using var both = CancellationTokenSource.CreateLinkedTokenSource(release.Token, ctx.RequestAborted);
            await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        app.SetWeight(100);
        using var client = app.CreateClient();
        var timers = app.Time.ActiveTimers;

        var pending = PostChatAsync(client);
        await app.Candidate.WaitForRequestsAsync(1);
        await app.Time.WaitForTimersAsync(timers + 1);
        Assert.False(pending.IsCompleted);
        app.Time.Advance(TimeSpan.FromSeconds(3));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(15));
        await release.CancelAsync();

        await AssertPrimaryAnswerAsync(response);
        var counts = app.CanaryCounts();
        Assert.Equal((1L, 1L), (counts.Requests, counts.Fallbacks));
    }

    [Fact]
    public async Task ForwardAsync_StreamBreaksAfterFirstChunk_ClientGetsSseErrorEventAndNoCleanEnd()
    {
        // The candidate breaks off only once the client has the first chunk (so the break is after commit,
        // whatever the machine's load).
        using var firstChunkSeen = new SemaphoreSlim(0);
        await using var app = await CanaryApp.StartAsync();
        app.Candidate.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
            await ctx.Response.Body.FlushAsync();
            await firstChunkSeen.WaitAsync(TimeSpan.FromSeconds(10));
            ctx.Abort();
        };
        app.SetWeight(100);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        Exception? ended = null;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (received.ToString().Contains("\"Hel\"", StringComparison.Ordinal) && firstChunkSeen.CurrentCount == 0)
                {
                    firstChunkSeen.Release();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            ended = ex;
        }

        var text = received.ToString();
        Assert.Contains("\"Hel\"", text, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"error\":{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.NotNull(ended);
        Assert.Equal(0, app.PrimaryCalls);

        // The client sees the reset before the harness records the request: wait (bounded) for the record.
        var counts = app.CanaryCounts();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (counts.Requests == 0)
        {
            await Task.Delay(10, limit.Token);
            counts = app.CanaryCounts();
        }

        Assert.Equal((1L, 0L, 0L), (counts.Requests, counts.Successes, counts.Fallbacks));
    }

    [Fact]
    public async Task ForwardAsync_StreamEndsCleanlyWithoutDone_ClientGetsSseErrorEvent()
    {
        await using var app = await CanaryApp.StartAsync();
        app.Candidate.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
        };
        app.SetWeight(100);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1","stream":true,"messages":[]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        var ended = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        });

        Assert.Contains("event: error\ndata: {\"error\":{", received.ToString(), StringComparison.Ordinal);
        Assert.Contains("the stream ended without [DONE]", received.ToString(), StringComparison.Ordinal);
        Assert.NotNull(ended);
    }

    [Fact]
    public async Task ForwardAsync_StreamedAnswer_ReachesClientChunkByChunk()
    {
        using var second = new SemaphoreSlim(0);
        await using var app = await CanaryApp.StartAsync();
        app.Candidate.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"n\":1}\n\n");
            await ctx.Response.Body.FlushAsync();
            await second.WaitAsync(TimeSpan.FromSeconds(10));
            await ctx.Response.WriteAsync("data: {\"n\":2}\n\ndata: [DONE]\n\n");
        };
        app.SetWeight(100);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1","stream":true,"messages":[]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var first = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("data: {\"n\":1}\n\n", Encoding.UTF8.GetString(buffer, 0, first));
        second.Release();
        using var reader = new StreamReader(stream);
        Assert.EndsWith("data: [DONE]\n\n", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ForwardAsync_StreamWithAnEarlyRoleChunk_CanaryTtftIsTheFirstContentNotTheFirstByte()
    {
        using var content = new SemaphoreSlim(0);
        await using var app = await CanaryApp.StartAsync();
        app.Candidate.Handler = async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
            await ctx.Response.Body.FlushAsync();
            await content.WaitAsync(TimeSpan.FromSeconds(10));
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"}}]}\n\ndata: [DONE]\n\n");
        };
        app.SetWeight(100);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1","stream":true,"messages":[]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[4096]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)) > 0); // the role chunk
        app.Time.Advance(TimeSpan.FromMilliseconds(300));
        content.Release();
        using var reader = new StreamReader(stream);
        await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.UntilAsync("one canary request counted", () => app.CanaryCounts().Requests == 1);

        var ttft = app.ArmBuckets(TrafficArm.Canary).Single(b => b.Ttft.Count > 0).Ttft;
        Assert.Equal(1, ttft.Count);
        Assert.InRange(ttft.MinMicroseconds, 299_990, 300_010); // timestamps at the clock's odd frequency round by a microsecond
    }

    [Fact]
    public async Task ForwardAsync_BreakerOpensAfterFailures_LaterRequestsGoStraightToPrimary()
    {
        await using var app = await CanaryApp.StartAsync(o =>
        {
            o.Canary.CircuitBreakerMinimumThroughput = 2;
            o.Canary.CircuitBreakerFailureRatio = 0.5;
        });
        app.Candidate.Handler = ctx =>
        {
            ctx.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        app.SetWeight(100);
        using var client = app.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var failing = await PostChatAsync(client);
            await AssertPrimaryAnswerAsync(failing);
        }

        Assert.Equal(CircuitState.Open, app.Get<CandidateForwarder>().BreakerState);
        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        Assert.Equal(2, app.Candidate.Requests.Count);
        Assert.Equal(3, app.PrimaryCalls);

        // The request the open breaker kept from the candidate still counts as a canary fallback, so the controller
        // sees the failures and rolls back instead of holding the weight with every canary request on the primary.
        var counts = app.CanaryCounts();
        Assert.Equal(3, counts.Requests);
        Assert.Equal(3, counts.Fallbacks);
    }

    [Theory]
    [InlineData(400, CircuitState.Closed)]
    [InlineData(422, CircuitState.Closed)]
    [InlineData(429, CircuitState.Open)]
    public async Task ForwardAsync_ClientErrorsAreTheRequestsFault_BreakerOpensOnlyFor429(int status, CircuitState expected)
    {
        await using var app = await CanaryApp.StartAsync(o =>
        {
            o.Canary.CircuitBreakerMinimumThroughput = 2;
            o.Canary.CircuitBreakerFailureRatio = 0.5;
        });
        app.Candidate.Handler = ctx =>
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        };
        app.SetWeight(100);
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await PostChatAsync(client);
            await AssertPrimaryAnswerAsync(response);
        }

        Assert.Equal(expected, app.Get<CandidateForwarder>().BreakerState);
    }

    [Fact]
    public async Task ForwardAsync_PrimaryFailedOver_ServedByCandidateWithoutCanaryWeight()
    {
        await using var app = await CanaryApp.StartAsync(failover: new FailedOver());
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        Assert.Equal(CanaryApp.CandidateAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, app.PrimaryCalls);

        // Failover-served traffic has its own arm: the controller never judges the canary on it.
        Assert.Equal(1, app.ArmCounts(TrafficArm.Failover).Successes);
        Assert.Equal(0, app.CanaryCounts().Requests);
    }

    [Fact]
    public async Task ForwardAsync_CandidateOutcomes_ReportedToHealthAndFallbackServedByPrimaryReportedForPrimary()
    {
        var reporter = new RecordingHealthReporter();
        await using var app = await CanaryApp.StartAsync(reporter: reporter);
        var fail = true;
        app.Candidate.Handler = ctx =>
        {
            if (fail)
            {
                ctx.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(CanaryApp.CandidateAnswer);
        };
        app.SetWeight(100);
        using var client = app.CreateClient();

        using (var fellBack = await PostChatAsync(client))
        {
            await AssertPrimaryAnswerAsync(fellBack);
        }

        fail = false;
        using (var served = await PostChatAsync(client))
        {
            Assert.Equal(CanaryApp.CandidateAnswer, await served.Content.ReadAsStringAsync());
        }

        // The primary here is the app's own handler, which calls no provider: its answer is no signal of the primary.
        Assert.Equal(
            [(ProviderRole.Candidate, ErrorClass.ServerError), (ProviderRole.Candidate, ErrorClass.None)],
            reporter.Reports.Select(r => (r.Provider, r.Outcome)).ToArray());
    }

    [Fact]
    public async Task ForwardAsync_429WithRetryAfterWithinBudget_WaitsOnTheClockRetriesOnceAndServes()
    {
        await using var app = await CanaryApp.StartAsync(o => o.Candidate.Timeout = TimeSpan.FromSeconds(5));
        app.Candidate.Handler = ctx => app.Candidate.Requests.Count == 1 ? RateLimitedAsync(ctx, "1") : WriteCandidateAnswerAsync(ctx);
        app.SetWeight(100);
        using var rateLimited = new MetricRecorder<long>(app.Get<IMeterFactory>(), "Migration.Harness", "migration.candidate.rate_limited");
        using var client = app.CreateClient();
        var start = app.Time.GetUtcNow();
        var timers = app.Time.ActiveTimers;

        var pending = PostChatAsync(client);
        await Eventually.UntilAsync("!rateLimited.Measurements.IsEmpty", () => !rateLimited.Measurements.IsEmpty);
        await app.Time.WaitForTimersAsync(timers + 1);
        Assert.Single(app.Candidate.Requests);
        Assert.False(pending.IsCompleted);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(CanaryApp.CandidateAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal(2, app.Candidate.Requests.Count);
        Assert.Equal(0, app.PrimaryCalls);
        Assert.Equal(TimeSpan.FromSeconds(1), app.Time.GetUtcNow() - start);
        Assert.Equal("retry", Assert.Single(rateLimited.Measurements).Tags["action"]);
    }

    [Fact]
    public async Task ForwardAsync_429WithRetryAfterBeyondBudget_FallsBackToPrimaryAtOnce()
    {
        await using var app = await CanaryApp.StartAsync(o => o.Candidate.Timeout = TimeSpan.FromSeconds(5));
        app.Candidate.Handler = ctx => RateLimitedAsync(ctx, "30");
        app.SetWeight(100);
        using var rateLimited = new MetricRecorder<long>(app.Get<IMeterFactory>(), "Migration.Harness", "migration.candidate.rate_limited");
        using var client = app.CreateClient();
        var start = app.Time.GetUtcNow();

        using var response = await PostChatAsync(client).WaitAsync(TimeSpan.FromSeconds(15));

        await AssertPrimaryAnswerAsync(response);
        Assert.Single(app.Candidate.Requests);
        Assert.Equal(1, app.PrimaryCalls);
        Assert.Equal(start, app.Time.GetUtcNow());
        Assert.Equal("fallback", Assert.Single(rateLimited.Measurements).Tags["action"]);
    }

    [Fact]
    public async Task ForwardAsync_429AgainAfterTheOneRetry_FallsBackToPrimary()
    {
        await using var app = await CanaryApp.StartAsync(o => o.Candidate.Timeout = TimeSpan.FromSeconds(5));
        app.Candidate.Handler = ctx => RateLimitedAsync(ctx, "1");
        app.SetWeight(100);
        using var rateLimited = new MetricRecorder<long>(app.Get<IMeterFactory>(), "Migration.Harness", "migration.candidate.rate_limited");
        using var client = app.CreateClient();
        var timers = app.Time.ActiveTimers;

        var pending = PostChatAsync(client);
        await Eventually.UntilAsync("!rateLimited.Measurements.IsEmpty", () => !rateLimited.Measurements.IsEmpty);
        await app.Time.WaitForTimersAsync(timers + 1);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(15));

        await AssertPrimaryAnswerAsync(response);
        Assert.Equal(2, app.Candidate.Requests.Count);
        Assert.Equal(1, app.PrimaryCalls);
    }

    [Fact]
    public async Task ForwardAsync_RetryAfterWait_RetryGetsOnlyWhatIsLeftOfTheBudget()
    {
        // Budget 5 s, first-byte timeout 10 s: after a 1 s Retry-After wait the retry may wait 4 s, not a fresh 10 s.
        using var release = new CancellationTokenSource();
        await using var app = await CanaryApp.StartAsync(o =>
        {
            o.Candidate.Timeout = TimeSpan.FromSeconds(5);
            o.Canary.FirstByteTimeout = TimeSpan.FromSeconds(10);
        });
        app.Candidate.Handler = async ctx =>
        {
            if (app.Candidate.Requests.Count == 1)
            {
                await RateLimitedAsync(ctx, "1");
                return;
            }

            await ctx.Response.StartAsync();
            using var both = CancellationTokenSource.CreateLinkedTokenSource(release.Token, ctx.RequestAborted);
            await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        app.SetWeight(100);
        using var rateLimited = new MetricRecorder<long>(app.Get<IMeterFactory>(), "Migration.Harness", "migration.candidate.rate_limited");
        using var client = app.CreateClient();
        var start = app.Time.GetUtcNow();
        var timers = app.Time.ActiveTimers;

        var pending = PostChatAsync(client);

        // The 429 is judged (metric) before the wait starts: then the only new timer is the Retry-After wait.
        await Eventually.UntilAsync("!rateLimited.Measurements.IsEmpty", () => !rateLimited.Measurements.IsEmpty);
        await app.Time.WaitForTimersAsync(timers + 1);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.Candidate.WaitForRequestsAsync(2);
        await app.Time.WaitForTimersAsync(timers + 1);
        app.Time.Advance(TimeSpan.FromSeconds(4));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(15));
        await release.CancelAsync();

        await AssertPrimaryAnswerAsync(response);
        Assert.Equal(TimeSpan.FromSeconds(5), app.Time.GetUtcNow() - start);
        Assert.Equal(1, app.PrimaryCalls);
    }

    private static Task RateLimitedAsync(HttpContext context, string retryAfter)
    {
        context.Response.StatusCode = 429;
        context.Response.Headers.RetryAfter = retryAfter;
        return context.Response.WriteAsync("""{"error":{"message":"slow down","type":"rate_limit_exceeded"}}""");
    }

    private static Task WriteCandidateAnswerAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(CanaryApp.CandidateAnswer);
    }

    [Fact]
    public async Task ForwardAsync_WeightZero_PrimaryServesAndCandidateIsNotCalled()
    {
        await using var app = await CanaryApp.StartAsync();
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        Assert.Empty(app.Candidate.Requests);
        Assert.Equal(0, app.CanaryCounts().Requests);
    }

    internal static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string? userId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(CanaryApp.ChatRequest, Encoding.UTF8, "application/json"),
        };
        if (userId is not null)
        {
            request.Headers.Add("X-User-Id", userId);
        }

        return client.SendAsync(request);
    }

    private static async Task AssertPrimaryAnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CanaryApp.PrimaryAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal("yes", response.Headers.GetValues("X-Primary").Single());
        Assert.Equal(CanaryApp.ChatRequest.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Primary-Saw").Single());
        Assert.False(response.Headers.Contains(CandidateForwarder.ServedByHeader));
    }

    private static void Chain(MigrationHarnessOptions o)
    {
        o.Candidate.FallbackModels["gpt-4.1"] = ["gemini-2.5-flash", "deepseek-v3.2"];
        o.CandidateDiscount = 0.3;
    }

    /// <summary>The model the candidate was asked for in its latest request (tests send one request at a time).</summary>
    private static string LastModel(CanaryApp app) =>
        System.Text.Json.JsonDocument.Parse(app.Candidate.Requests.Last().Body).RootElement.GetProperty("model").GetString()!;

    private static Task WriteAnswerAsync(HttpContext context, string model, int promptTokens, int completionTokens)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            $$$"""{"id":"chatcmpl-f","object":"chat.completion","created":1,"model":"{{{model}}}","choices":[{"index":0,"message":{"role":"assistant","content":"from {{{model}}}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":{{{completionTokens}}},"total_tokens":{{{promptTokens + completionTokens}}}}}""");
    }

    private static Task FailAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync("""{"error":{"message":"model unavailable"}}""");
    }

    [Fact]
    public async Task ForwardAsync_FirstModelFailsWithChain_NextModelServesAndEachAttemptIsRecordedWithCost()
    {
        await using var app = await CanaryApp.StartAsync(Chain);
        app.Candidate.Handler = ctx => LastModel(app) == "cand-4.1" ? FailAsync(ctx, 503) : WriteAnswerAsync(ctx, LastModel(app), 1_000, 500);
        app.SetWeight(100);
        using var attemptsMetric = new MetricRecorder<long>(app.Get<IMeterFactory>(), "Migration.Harness", "migration.candidate.attempts");
        using var costMetric = new MetricRecorder<double>(app.Get<IMeterFactory>(), "Migration.Harness", "migration.candidate.attempt.cost");
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("from gemini-2.5-flash", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("candidate", response.Headers.GetValues(CandidateForwarder.ServedByHeader).Single());
        Assert.Equal(0, app.PrimaryCalls);
        Assert.Equal(["cand-4.1", "gemini-2.5-flash"], app.Candidate.Requests.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("model").GetString()));
        var attempts = ((RecordingSink)app.Get<IRecordSink>()).Attempts.ToArray();
        Assert.Equal(2, attempts.Length);
        var (first, second) = (attempts[0], attempts[1]);
        Assert.Equal((1, "cand-4.1", "next_model", ErrorClass.ServerError, (int?)503, (decimal?)0m), (first.Attempt, first.Model, first.Outcome, first.ErrorClass, first.Status, first.CostUsd));
        Assert.Equal((2, "gemini-2.5-flash", "served", ErrorClass.None, (int?)200), (second.Attempt, second.Model, second.Outcome, second.ErrorClass, second.Status));
        Assert.All(attempts, a => Assert.Equal(("gpt-4.1", "canary", "/v1/chat/completions"), (a.RequestedModel, a.Reason, a.Route)));
        Assert.Equal(first.RequestId, second.RequestId);
        Assert.Equal((1_000, 500), (second.TokensIn, second.TokensOut));

        // gemini-2.5-flash lists at $0.30 / $2.50 per million tokens; the candidate is 30 % off.
        var expected = (1_000 * 0.30m + 500 * 2.50m) / 1_000_000m * 0.7m;
        Assert.Equal(expected, second.CostUsd);
        Assert.NotNull(second.TtftMs);
        Assert.Equal(["cand-4.1:next_model", "gemini-2.5-flash:served"], attemptsMetric.Measurements.Select(m => $"{m.Tags["model"]}:{m.Tags["outcome"]}"));
        Assert.Equal((double)expected, costMetric.Measurements.Sum(m => m.Value), 12);
        var counts = app.CanaryCounts();
        Assert.Equal((1L, 1L, 0L), (counts.Requests, counts.Successes, counts.Fallbacks));
    }

    [Fact]
    public async Task ForwardAsync_EveryModelOfTheChainFails_PrimaryServesAndLastAttemptFellBack()
    {
        await using var app = await CanaryApp.StartAsync(Chain);
        app.Candidate.Handler = ctx => FailAsync(ctx, 500);
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        var attempts = ((RecordingSink)app.Get<IRecordSink>()).Attempts.ToArray();
        Assert.Equal(
            ["1 cand-4.1 next_model", "2 gemini-2.5-flash next_model", "3 deepseek-v3.2 fell_back"],
            attempts.Select(a => $"{a.Attempt} {a.Model} {a.Outcome}"));
        Assert.All(attempts, a => Assert.Equal((ErrorClass.ServerError, (int?)500, (decimal?)0m), (a.ErrorClass, a.Status, a.CostUsd)));
        Assert.Equal(1, app.PrimaryCalls);
        Assert.Equal(1, app.CanaryCounts().Fallbacks);
    }

    [Fact]
    public async Task ForwardAsync_ClientErrorWithChain_NoOtherModelIsTried()
    {
        await using var app = await CanaryApp.StartAsync(Chain);
        app.Candidate.Handler = ctx => FailAsync(ctx, 400);
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        Assert.Single(app.Candidate.Requests);
        var attempt = Assert.Single(((RecordingSink)app.Get<IRecordSink>()).Attempts);
        Assert.Equal(("fell_back", ErrorClass.ClientError), (attempt.Outcome, attempt.ErrorClass));
    }

    [Fact]
    public async Task ForwardAsync_429BeyondBudgetWithChain_NextModelAtOnceWithoutWaiting()
    {
        await using var app = await CanaryApp.StartAsync(o =>
        {
            Chain(o);
            o.Candidate.Timeout = TimeSpan.FromSeconds(5);
        });
        app.Candidate.Handler = ctx => LastModel(app) == "cand-4.1" ? RateLimitedAsync(ctx, "30") : WriteAnswerAsync(ctx, LastModel(app), 10, 3);
        app.SetWeight(100);
        using var client = app.CreateClient();
        var start = app.Time.GetUtcNow();

        using var response = await PostChatAsync(client).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Contains("from gemini-2.5-flash", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(start, app.Time.GetUtcNow());
        var attempts = ((RecordingSink)app.Get<IRecordSink>()).Attempts.ToArray();
        Assert.Equal(["cand-4.1 next_model", "gemini-2.5-flash served"], attempts.Select(a => $"{a.Model} {a.Outcome}"));
        Assert.Contains("does not fit", attempts[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardAsync_ConnectionRefusedWithChain_FallsBackWithoutTryingOtherModels()
    {
        using var refusing = new RefusedPort();
        var url = refusing.BaseUrlV1;
        await using var app = await CanaryApp.StartAsync(o =>
        {
            Chain(o);
            o.Candidate.BaseUrl = url;
        });
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        var attempt = Assert.Single(((RecordingSink)app.Get<IRecordSink>()).Attempts);
        Assert.Equal(("cand-4.1", "fell_back", ErrorClass.Connection), (attempt.Model, attempt.Outcome, attempt.ErrorClass));
    }

    [Fact]
    public async Task ForwardAsync_StreamedAnswerOfFallbackModel_CostFromTheStreamsUsage()
    {
        await using var app = await CanaryApp.StartAsync(Chain);
        app.Candidate.Handler = async ctx =>
        {
            if (LastModel(app) == "cand-4.1")
            {
                await FailAsync(ctx, 502);
                return;
            }

            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
            await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            await ctx.Response.WriteAsync("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":2000,\"completion_tokens\":100,\"total_tokens\":2100}}\n\n");
            await ctx.Response.WriteAsync("data: [DONE]\n\n");
        };
        app.SetWeight(100);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request);

        Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var served = ((RecordingSink)app.Get<IRecordSink>()).Attempts.Last();
        Assert.Equal(("gemini-2.5-flash", "served", 2000, 100), (served.Model, served.Outcome, served.TokensIn, served.TokensOut));
        Assert.Equal((2000 * 0.30m + 100 * 2.50m) / 1_000_000m * 0.7m, served.CostUsd);
    }

    [Fact]
    public async Task ForwardAsync_ModelWithoutChain_NoAttemptIsRecorded()
    {
        await using var app = await CanaryApp.StartAsync(o => o.Candidate.FallbackModels["o3"] = ["o4-mini"]);
        app.Candidate.Handler = ctx => FailAsync(ctx, 503);
        app.SetWeight(100);
        using var client = app.CreateClient();

        using var response = await PostChatAsync(client);

        await AssertPrimaryAnswerAsync(response);
        Assert.Single(app.Candidate.Requests);
        Assert.Empty(((RecordingSink)app.Get<IRecordSink>()).Attempts);
    }

    private sealed class FailedOver : IFailoverState
    {
        public bool RouteToCandidate => true;
    }
}
