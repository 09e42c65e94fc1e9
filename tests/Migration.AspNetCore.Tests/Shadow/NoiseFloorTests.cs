using System.Text;
using Microsoft.AspNetCore.Http;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests.Shadow;

public sealed class NoiseFloorTests : IAsyncLifetime
{
    private const string Sse = "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
        + "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \"}}]}\n\n"
        + "data: {\"id\":\"a\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"there!\"},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: [DONE]\n\n";

    private FakeCandidate _candidate = null!;
    private FakeCandidate _primary = null!;

    public async Task InitializeAsync()
    {
        _candidate = await FakeCandidate.StartAsync();
        _primary = await FakeCandidate.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _candidate.DisposeAsync();
        await _primary.DisposeAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Action<Migration.AspNetCore.Configuration.MigrationHarnessOptions> NoiseEverywhere(Action<Migration.AspNetCore.Configuration.MigrationHarnessOptions>? more = null) => o =>
    {
        o.Primary.BaseUrl = _primary.BaseUrlV1.ToString();
        o.Shadow.NoiseFloorRate = 1;
        o.Pricing["gpt-4.1"] = new() { InputPerMTok = 2m, OutputPerMTok = 8m };
        o.CandidateDiscount = 0.5;
        more?.Invoke(o);
    };

    [Fact]
    public async Task ProcessAsync_RateOne_SendsTheSameBodyToThePrimaryWithItsKeyAndStoresANoiseRow()
    {
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), NoiseEverywhere(o => o.Candidate.ModelMap["gpt-4.1"] = "openai/gpt-4.1"));
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var results = await app.Sink.WaitForResultsAsync(2);

        var sent = Assert.Single(_primary.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + TestOptions.PrimaryKey, sent.Authorization);
        Assert.Equal(TestApp.ChatRequest, sent.Body); // same model and body: the model map is for the candidate only
        var candidate = Assert.Single(results, r => r.Kind == ShadowKind.Candidate);
        var noise = Assert.Single(results, r => r.Kind == ShadowKind.Noise);
        Assert.Equal("openai/gpt-4.1", candidate.CandidateModel);
        Assert.Equal("gpt-4.1", noise.CandidateModel);
        Assert.Equal(candidate.RequestId, noise.RequestId);
        Assert.Equal(Verdict.Exact, noise.Verdict);
        Assert.Equal(200, noise.CandidateStatus);

        // The second call is billed by the primary at the primary's price, not at the candidate's discount.
        Assert.Equal(noise.PrimaryCostUsd, noise.CandidateCostUsd);
        Assert.Equal(candidate.PrimaryCostUsd / 2, candidate.CandidateCostUsd);
        Assert.Equal(1, app.Get<Migration.AspNetCore.Telemetry.HarnessMetrics>().NoiseComparedCount);
    }

    [Fact]
    public async Task ProcessAsync_PrimaryAnswersDifferently_NoiseRowHasTheComparersVerdict()
    {
        _primary.Handler = ctx =>
        {
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(TestApp.ChatAnswer.Replace("Hello there!", "Totally unrelated words about a boat", StringComparison.Ordinal));
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), NoiseEverywhere());
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var results = await app.Sink.WaitForResultsAsync(2);

        Assert.Equal(Verdict.Exact, Assert.Single(results, r => r.Kind == ShadowKind.Candidate).Verdict);
        Assert.Equal(Verdict.Different, Assert.Single(results, r => r.Kind == ShadowKind.Noise).Verdict);
    }

    [Fact]
    public async Task ProcessAsync_Streamed_ComparesBothAssembledPrimaryAnswers()
    {
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
        _primary.Handler = WriteSse;
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), NoiseEverywhere());
        app.Handler = WriteSse;
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}"""))).Dispose();
        var results = await app.Sink.WaitForResultsAsync(2);

        var noise = Assert.Single(results, r => r.Kind == ShadowKind.Noise);
        Assert.True(noise.Streamed);
        Assert.Equal(Verdict.Exact, noise.Verdict);
        Assert.Equal(ErrorClass.None, noise.CandidateErrorClass);
        Assert.Contains("\"stream\":true", Assert.Single(_primary.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_PrimaryFailsTheSecondCall_NoiseRowIsAnErrorAndTheCandidateRowIsUntouched()
    {
        _primary.Handler = async ctx =>
        {
            ctx.Response.StatusCode = 503;
            await ctx.Response.WriteAsync("""{"error":{"message":"overloaded"}}""");
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), NoiseEverywhere());
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var results = await app.Sink.WaitForResultsAsync(2);

        var noise = Assert.Single(results, r => r.Kind == ShadowKind.Noise);
        Assert.Equal((Verdict.Error, ErrorClass.ServerError), (noise.Verdict, noise.CandidateErrorClass));
        Assert.Equal(Verdict.Exact, Assert.Single(results, r => r.Kind == ShadowKind.Candidate).Verdict);
    }

    [Fact]
    public async Task ProcessAsync_PrimaryAnswered429_NoiseCallsPauseForItsRetryAfterAndTheCandidateGoesOn()
    {
        var calls = 0;
        _primary.Handler = async ctx =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = "10";
                await ctx.Response.WriteAsync("""{"error":{"message":"slow down"}}""");
                return;
            }

            await TestApp.WriteChatAnswerAsync(ctx);
        };
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), NoiseEverywhere());
        using var client = app.CreateClient();
        var noise = app.Get<NoiseFloor>();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        await app.Sink.WaitForResultsAsync(2);
        Assert.Equal(app.Time.GetUtcNow().AddSeconds(10), noise.PausedUntil);
        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        var results = await app.Sink.WaitForResultsAsync(3);
        await Task.Delay(200);

        Assert.Equal(2, results.Count(r => r.Kind == ShadowKind.Candidate));
        Assert.Single(_primary.Requests);
        Assert.Null(app.Get<ShadowControl>().PausedUntil);

        app.Time.Advance(TimeSpan.FromSeconds(11));
        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        results = await app.Sink.WaitForResultsAsync(5);
        Assert.Equal(2, results.Count(r => r.Kind == ShadowKind.Noise));
    }

    [Fact]
    public async Task ShouldSample_WithoutPrimaryBaseUrl_IsInactiveAndSaysWhy()
    {
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), o => o.Shadow.NoiseFloorRate = 1);
        using var client = app.CreateClient();

        (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        await app.Sink.WaitForResultsAsync(1);
        await Task.Delay(200);

        var noise = app.Get<NoiseFloor>();
        Assert.False(noise.Active);
        Assert.Equal("Primary:BaseUrl is not set", noise.InactiveReason);
        Assert.Single(app.Sink.Results);
    }

    [Fact]
    public async Task ShouldSample_RateZero_NeverCallsThePrimary()
    {
        await using var app = await TestApp.StartAsync(_candidate.BaseUrlV1.ToString(), NoiseEverywhere(o => o.Shadow.NoiseFloorRate = 0));
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await client.PostAsync("/v1/chat/completions", Json(TestApp.ChatRequest))).Dispose();
        }

        await app.Sink.WaitForResultsAsync(5);
        await Task.Delay(200);

        Assert.Empty(_primary.Requests);
        Assert.All(app.Sink.Results, r => Assert.Equal(ShadowKind.Candidate, r.Kind));
        Assert.Equal("Shadow:NoiseFloorRate is 0", app.Get<NoiseFloor>().InactiveReason);
    }
}
