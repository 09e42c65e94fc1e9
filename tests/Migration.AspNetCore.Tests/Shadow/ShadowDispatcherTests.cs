using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.ML.Tokenizers;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Comparison;
using Migration.Core.Exchange;

namespace Migration.AspNetCore.Tests.Shadow;

public sealed class ShadowDispatcherTests : IAsyncLifetime
{
    private FakeCandidate _candidate = null!;

    public async Task InitializeAsync() => _candidate = await FakeCandidate.StartAsync();

    public async Task DisposeAsync() => await _candidate.DisposeAsync();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ProcessAsync_SameAnswer_RecordsExactWithCandidateKeyAndMappedModel()
    {
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), o =>
        {
            o.Candidate.ModelMap["gpt-4.1"] = "openai/gpt-4.1";
            o.Pricing["gpt-4.1"] = new() { InputPerMTok = 2m, OutputPerMTok = 8m };
            o.CandidateDiscount = 0.5;
        });
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(TestApp.ChatRequest) };
        request.Headers.Authorization = new("Bearer", "client-own-key-should-not-leak");

        using var response = await client.SendAsync(request);
        var results = await app.Sink.WaitForResultsAsync(1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestApp.ChatAnswer, await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(_candidate.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + TestOptions.CandidateKey, sent.Authorization);
        Assert.Contains("\"model\":\"openai/gpt-4.1\"", sent.Body, StringComparison.Ordinal);
        var result = Assert.Single(results);
        Assert.Equal(Verdict.Exact, result.Verdict);
        Assert.Equal(ErrorClass.None, result.CandidateErrorClass);
        Assert.Equal("gpt-4.1", result.PrimaryModel);
        Assert.Equal("openai/gpt-4.1", result.CandidateModel);
        Assert.Equal(200, result.CandidateStatus);
        Assert.Equal("test-instance", result.Instance);
        Assert.Equal(((10 * 2m) + (3 * 8m)) / 1_000_000m, result.PrimaryCostUsd);
        Assert.Equal(result.PrimaryCostUsd / 2, result.CandidateCostUsd);
        Assert.DoesNotContain(TestOptions.CandidateKey, result.RequestBody ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_SlowCandidate_ClientAnswerDoesNotWaitForIt()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _candidate.Handler = async ctx =>
        {
            await gate.Task;
            await TestApp.WriteChatAnswerAsync(ctx);
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString());
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest));
        var body = await response.Content.ReadAsStringAsync();
        await _candidate.WaitForRequestsAsync(1);

        // The client has its whole answer while the candidate is still holding the mirrored call.
        Assert.Equal(TestApp.ChatAnswer, body);
        Assert.False(gate.Task.IsCompleted);
        Assert.Empty(app.Sink.Results);

        gate.SetResult();
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));
        Assert.Equal(Verdict.Exact, result.Verdict);
    }

    [Fact]
    public async Task ProcessAsync_Candidate429_PausesForRetryAfterThenResumes()
    {
        var calls = 0;
        _candidate.Handler = async ctx =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = "5";
                await ctx.Response.WriteAsync("""{"error":{"message":"slow down","type":"rate_limit"}}""");
                return;
            }

            await TestApp.WriteChatAnswerAsync(ctx);
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString());
        using var client = app.CreateClient();
        var control = app.Get<ShadowControl>();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var first = Assert.Single(await app.Sink.WaitForResultsAsync(1));
        Assert.Equal(ErrorClass.RateLimited, first.CandidateErrorClass);
        Assert.Equal(Verdict.Error, first.Verdict);
        Assert.Equal(app.Time.GetUtcNow().AddSeconds(5), control.PausedUntil);

        using var paused = await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest));
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(1, app.Get<HarnessMetrics>().Counts.DroppedPaused);
        Assert.Single(_candidate.Requests);

        app.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Null(control.PausedUntil);
        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var results = await app.Sink.WaitForResultsAsync(2);
        Assert.Equal(2, _candidate.Requests.Count);
        Assert.Equal(Verdict.Exact, results[1].Verdict);
    }

    public static TheoryData<string, ErrorClass> FailingCandidates => new()
    {
        { "500", ErrorClass.ServerError },
        { "400", ErrorClass.ClientError },
        { "malformed", ErrorClass.MalformedResponse },
        { "truncated", ErrorClass.TruncatedStream },
    };

    [Theory]
    [MemberData(nameof(FailingCandidates))]
    public async Task ProcessAsync_CandidateFails_RecordsErrorVerdictWithItsClassAndClientIsServed(string fault, ErrorClass expected)
    {
        _candidate.Handler = async ctx =>
        {
            switch (fault)
            {
                case "500":
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("""{"error":{"message":"boom"}}""");
                    break;
                case "400":
                    ctx.Response.StatusCode = 400;
                    await ctx.Response.WriteAsync("""{"error":{"message":"bad"}}""");
                    break;
                case "malformed":
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync("{\"choices\": [ this is not json");
                    break;
                default:
                    ctx.Response.ContentType = "text/event-stream";
                    await ctx.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
                    break;
            }
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString());
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(TestApp.ChatAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Equal(expected, result.CandidateErrorClass);
        Assert.NotNull(result.Error);
    }

    [Theory]
    [InlineData(Migration.Core.Redaction.BodyStorageMode.Full)]
    [InlineData(Migration.Core.Redaction.BodyStorageMode.Redacted)]
    public async Task ProcessAsync_CandidateEchoesTheKey_NoStoredFieldContainsASecret(Migration.Core.Redaction.BodyStorageMode mode)
    {
        _candidate.Handler = async ctx =>
        {
            ctx.Response.StatusCode = 401;
            await ctx.Response.WriteAsync($$$"""{"error":{"message":"Incorrect API key provided: {{{ctx.Request.Headers.Authorization.ToString()[7..]}}} (admin {{{TestOptions.AdminKey}}}, primary {{{TestOptions.PrimaryKey}}})"}}""");
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), o => o.Shadow.StoreContent = mode);
        app.Handler = ctx => ctx.Response.WriteAsync(TestApp.ChatAnswer.Replace("Hello there!", "key " + TestOptions.PrimaryKey, StringComparison.Ordinal));
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest.Replace("Say hello", "my key is " + TestOptions.CandidateKey, StringComparison.Ordinal)))).Dispose();
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(ErrorClass.ClientError, result.CandidateErrorClass);
        string?[] stored = [result.RequestBody, result.PrimaryBody, result.CandidateBody, result.Error, result.DiffSummaryJson];
        Assert.NotNull(result.CandidateBody);
        foreach (var secret in new[] { TestOptions.CandidateKey, TestOptions.PrimaryKey, TestOptions.AdminKey })
        {
            Assert.All(stored, text => Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ProcessAsync_StoreContentNone_StoresNoBodies()
    {
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), o => o.Shadow.StoreContent = Migration.Core.Redaction.BodyStorageMode.None);
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Null(result.RequestBody);
        Assert.Null(result.PrimaryBody);
        Assert.Null(result.CandidateBody);
        Assert.Equal(Verdict.Exact, result.Verdict);
    }

    [Fact]
    public async Task ProcessAsync_CandidateUnreachable_RecordsConnectionError()
    {
        var closedPort = _candidate.BaseUrlV1;
        await _candidate.DisposeAsync();
        await using var app = await TestApp.StartAsync(closedPort.ToString());
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ErrorClass.Connection, result.CandidateErrorClass);
        Assert.Null(result.CandidateStatus);
    }

    [Fact]
    public async Task ProcessAsync_CandidateNeverAnswers_TimesOutOnTheShadowTimeout()
    {
        var never = new TaskCompletionSource();
        _candidate.Handler = _ => never.Task;
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), o => o.Shadow.Timeout = TimeSpan.FromSeconds(30));
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        await _candidate.WaitForRequestsAsync(1);
        await app.Time.WaitForTimersAsync(1);
        app.Time.Advance(TimeSpan.FromSeconds(31));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(ErrorClass.Timeout, result.CandidateErrorClass);
        Assert.Equal(Verdict.Error, result.Verdict);
        never.SetResult();
    }

    [Fact]
    public async Task ProcessAsync_StreamedOnBothSides_ComparesTheAssembledAnswers()
    {
        const string Sse = "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello \"}}]}\n\n"
            + "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"there!\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";
        static async Task WriteSse(HttpContext ctx)
        {
            ctx.Response.ContentType = "text/event-stream";
            foreach (var part in Sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            {
                await ctx.Response.WriteAsync(part + "\n\n");
                await ctx.Response.Body.FlushAsync();
            }
        }

        _candidate.Handler = WriteSse;
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString());
        app.Handler = WriteSse;
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(Sse, await response.Content.ReadAsStringAsync());
        Assert.True(result.Streamed);
        Assert.Equal(Verdict.Exact, result.Verdict);
        Assert.NotNull(result.PrimaryTtftMs);
    }

    [Fact]
    public async Task ProcessAsync_StreamWithoutUsage_TokensCountedWithTheTokenizerAndMarkedEstimated()
    {
        const string Chunks = "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello \"}}]}\n\n"
            + "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"there!\"},\"finish_reason\":\"stop\"}]}\n\n";
        const string Usage = "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":30,\"total_tokens\":70}}\n\n";
        static Func<HttpContext, Task> Sse(string body) => async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync(body + "data: [DONE]\n\n");
        };

        _candidate.Handler = Sse(Chunks + Usage); // the candidate reports usage, the primary does not
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), o =>
        {
            o.Pricing["gpt-4.1"] = new() { InputPerMTok = 2m, OutputPerMTok = 8m };
            o.CandidateDiscount = 0.5;
        });
        app.Handler = Sse(Chunks);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4.1","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello to everyone in the room"}]}"""));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        var tokenizer = TiktokenTokenizer.CreateForModel("gpt-4.1");
        var prompt = 3 + (3 + tokenizer.CountTokens("system") + tokenizer.CountTokens("Be brief."))
            + (3 + tokenizer.CountTokens("user") + tokenizer.CountTokens("Say hello to everyone in the room"));
        var completion = tokenizer.CountTokens("Hello there!");
        Assert.True(result.PrimaryTokensEstimated);
        Assert.Equal((prompt, completion), (result.PrimaryTokensIn, result.PrimaryTokensOut));
        Assert.Equal(((prompt * 2m) + (completion * 8m)) / 1_000_000m, result.PrimaryCostUsd);
        Assert.False(result.CandidateTokensEstimated);
        Assert.Equal((40, 30), (result.CandidateTokensIn, result.CandidateTokensOut));
    }

    [Fact]
    public async Task ProcessAsync_FailedCandidateWithoutUsage_NotEstimatedItsCostStaysUnknown()
    {
        _candidate.Handler = ctx =>
        {
            ctx.Response.StatusCode = 500;
            return ctx.Response.WriteAsync("{\"error\":{\"message\":\"boom\"}}");
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString());
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(ErrorClass.ServerError, result.CandidateErrorClass);
        Assert.False(result.CandidateTokensEstimated);
        Assert.Null(result.CandidateTokensIn);
        Assert.Null(result.CandidateCostUsd);
    }

    [Fact]
    public async Task ProcessAsync_JsonModeRequest_ComparesContentAsJsonAndStoresTheDecidingTier()
    {
        static Func<HttpContext, Task> Answer(string content) => ctx =>
        {
            ctx.Response.ContentType = "application/json";
            var escaped = System.Text.Json.JsonSerializer.Serialize(content);
            return ctx.Response.WriteAsync("{\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + escaped + "},\"finish_reason\":\"stop\"}]}");
        };

        _candidate.Handler = Answer("""{"total": 42, "currency": "EUR"}""");
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString());
        app.Handler = Answer("""{"currency":"EUR","total":41}""");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            Json("""{"model":"gpt-4.1","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"total?"}]}"""));
        var result = Assert.Single(await app.Sink.WaitForResultsAsync(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.MatchTier);
        Assert.Equal(0.0, result.MatchScore);
        Assert.Contains("$.total: 41 vs 42", result.DiffSummaryJson, StringComparison.Ordinal);
    }
}
