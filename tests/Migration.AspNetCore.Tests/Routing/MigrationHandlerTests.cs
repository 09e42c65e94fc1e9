using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Routing;
using Migration.AspNetCore.Traffic;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Simulator;
using Migration.TestKit;
using OpenAI.Chat;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using MeaiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Migration.AspNetCore.Tests.Routing;

/// <summary>
/// The outgoing handler with real clients (the official OpenAI SDK on the app's HttpClient, Microsoft.Extensions.AI's
/// IChatClient on the SDK) against loopback simulators: what the app sends is mirrored and routed, canary answers
/// stream back through the SDK, failures before the first byte fall back, and the app's resilience handler composes.
/// </summary>
public sealed class MigrationHandlerTests
{
    private const string SystemPrompt = "You are the support assistant of Acme Cloud. Answer in two sentences.";

    private static ChatMessage[] Prompt(string question) => [new SystemChatMessage(SystemPrompt), new UserChatMessage(question)];

    [Fact]
    public async Task SendAsync_OpenAISdkOnPrimary_AnswerUntouchedAndTheAppsRequestMirroredOnce()
    {
        await using var app = await OutgoingApp.StartAsync();
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(Prompt("How do I reset my password?"));

        Assert.False(result.GetRawResponse().Headers.TryGetValue(CandidateForwarder.ServedByHeader, out _));
        Assert.Equal("gpt-4.1", result.Value.Model);
        var shadow = Assert.Single(await app.Sink.WaitForResultsAsync(1));
        Assert.Equal(("/v1/chat/completions", 200, 200), (shadow.Route, shadow.PrimaryStatus, shadow.CandidateStatus ?? 0));
        Assert.Equal("cand-4.1", shadow.CandidateModel);

        // The candidate got the request the app built (its system message), with the model mapped and its own key.
        var sent = JsonDocument.Parse(Assert.Single(app.Candidate.ChatRequests)).RootElement;
        Assert.Equal("cand-4.1", sent.GetProperty("model").GetString());
        Assert.Equal(SystemPrompt, sent.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(1, app.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute));
    }

    [Fact]
    public async Task SendAsync_ChatClientStreamingOnPrimary_UpdatesArriveAndTheStreamIsMirrored()
    {
        await using var app = await OutgoingApp.StartAsync();
        var chat = app.CreateChatClient();

        var text = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync([new MeaiChatMessage(MeaiChatRole.System, SystemPrompt), new MeaiChatMessage(MeaiChatRole.User, "What is the refund policy?")]))
        {
            text.Append(update.Text);
        }

        Assert.NotEqual(0, text.Length);
        var shadow = Assert.Single(await app.Sink.WaitForResultsAsync(1));
        Assert.True(shadow.Streamed);
        Assert.Equal(ErrorClass.None, shadow.CandidateErrorClass);
    }

    [Fact]
    public async Task SendAsync_CanaryAtFullWeight_SdkAnswerComesFromTheCandidateWithTheMappedModel()
    {
        await using var app = await OutgoingApp.StartAsync();
        app.SetWeight(100);
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(Prompt("How do I export invoices?"));

        Assert.True(result.GetRawResponse().Headers.TryGetValue(CandidateForwarder.ServedByHeader, out var servedBy));
        Assert.Equal("candidate", servedBy);
        Assert.Equal("cand-4.1", result.Value.Model);
        Assert.Equal(0, app.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        var sent = JsonDocument.Parse(Assert.Single(app.Candidate.ChatRequests)).RootElement;
        Assert.Equal(SystemPrompt, sent.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Empty(app.Sink.Results);
    }

    [Fact]
    public async Task SendAsync_CanaryStreamedThroughChatClient_UpdatesStreamFromTheCandidateAndAreCounted()
    {
        await using var app = await OutgoingApp.StartAsync();
        app.SetWeight(100);
        var chat = app.CreateChatClient();

        var updates = 0;
        var text = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync([new MeaiChatMessage(MeaiChatRole.User, "Tell me about webhook retries")]))
        {
            updates++;
            text.Append(update.Text);
        }

        Assert.True(updates > 2, $"{updates} updates");
        Assert.NotEqual(0, text.Length);
        Assert.Equal(1, app.Candidate.Stats.StreamedRequests);
        await Eventually.UntilAsync("the canary exchange counted", () => Task.FromResult(CanaryRequests(app) == 1));
    }

    [Fact]
    public async Task SendAsync_CanaryCandidateFailsBeforeFirstByte_PrimaryServesAndTheSdkSeesNoError()
    {
        await using var app = await OutgoingApp.StartAsync();
        app.SetWeight(100);
        app.Candidate.Faults = new FaultSettings { Error500Rate = 1 };
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        for (var i = 0; i < 3; i++)
        {
            ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(Prompt($"Question {i}"));
            Assert.Equal("gpt-4.1", result.Value.Model);
        }

        Assert.Equal(3, app.Primary.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        Assert.Equal(3, app.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        await Eventually.UntilAsync("three canary fallbacks counted", () => Task.FromResult(CanaryFallbacks(app) == 3));
    }

    [Fact]
    public async Task SendAsync_PrimaryProviderAnswers_ItsOwnStatusIsThePassiveHealthSignal()
    {
        var health = new RecordingHealthReporter();
        await using var app = await OutgoingApp.StartAsync(services: s => s.AddSingleton<IProviderHealthReporter>(health));
        var http = app.CreateHttpClient();

        Assert.Equal(HttpStatusCode.OK, await SendChatAsync(http, app));
        app.Primary.Faults = new FaultSettings { Error500Rate = 1 };
        Assert.Equal(HttpStatusCode.InternalServerError, await SendChatAsync(http, app));

        await Eventually.UntilAsync("both primary calls reported", () => Task.FromResult(health.Reports.Count(r => r.Provider == ProviderRole.Primary) == 2));
        Assert.Equal([ErrorClass.None, ErrorClass.ServerError], health.Reports.Where(r => r.Provider == ProviderRole.Primary).Select(r => r.Outcome));
    }

    [Fact]
    public async Task SendAsync_PrimaryProviderFails500_SdkGetsTheCandidatesAnswerCountedAsFailover()
    {
        await using var app = await OutgoingApp.StartAsync(services: s => s.AddSingleton<IFailoverState>(new RescuingFailover()));
        app.Primary.Faults = new FaultSettings { Error500Rate = 1 };
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(Prompt("Where is my invoice?"));

        Assert.Equal("cand-4.1", result.Value.Model);
        Assert.True(result.GetRawResponse().Headers.TryGetValue(CandidateForwarder.ServedByHeader, out _));
        await Eventually.UntilAsync("the rescue counted in the failover arm", () => Task.FromResult(Buckets(app, TrafficArm.Failover).Sum(b => b.Successes) == 1));
        Assert.Equal(0, CanaryRequests(app));
        Assert.Equal((1, 1), PrimaryRequests(app));

        // The primary's failure is not mirrored.
        await Task.Delay(100);
        Assert.Empty(app.Sink.Results);
    }

    [Fact]
    public async Task SendAsync_CandidateStreamCutAfterCommit_SdkSurfacesAnError()
    {
        await using var app = await OutgoingApp.StartAsync();
        app.SetWeight(100);
        app.Candidate.Faults = new FaultSettings { TruncateRate = 1 };
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in chat.CompleteChatStreamingAsync(Prompt("Tell me a long story")))
            {
                _ = update;
            }
        });

        Assert.NotNull(error);
        Assert.True(error is IOException or HttpRequestException or ClientResultException, error.ToString());
    }

    [Fact]
    public async Task SendAsync_ResilienceRetriesAPrimary503_OneShadowExchangeForTheRequest()
    {
        var flaky = new FlakyPrimary(failures: 1);
        await using var app = await OutgoingApp.StartAsync(resilience: true, innerHandler: () => flaky);
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(Prompt("How do I change the billing email?"));

        Assert.Equal(200, result.GetRawResponse().Status);
        Assert.Equal(2, flaky.Attempts);
        Assert.Single(await app.Sink.WaitForResultsAsync(1));
        await Eventually.UntilAsync("both primary attempts counted", () => Task.FromResult(PrimaryRequests(app) == (2, 1)));
        await Task.Delay(200);
        Assert.Single(app.Sink.Results);
        Assert.Equal(1, app.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute));
    }

    [Fact]
    public async Task SendAsync_ResilienceRetriesACanaryAttempt_TheRetryGoesToTheCandidate()
    {
        OutgoingApp? started = null;

        // The first attempt: the candidate answers 500 (fall back), the primary 503 (the app retries); then the
        // candidate recovers, and the retry of the same request must go to it again, not to the primary.
        var flaky = new FlakyPrimary(failures: 1, onFailure: () => started!.Candidate.Faults = FaultSettings.None);
        await using var app = started = await OutgoingApp.StartAsync(resilience: true, innerHandler: () => flaky);
        app.SetWeight(100);
        app.Candidate.Faults = new FaultSettings { Error500Rate = 1 };
        var chat = app.CreateOpenAIClient().GetChatClient("gpt-4.1");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync(Prompt("How do I enable SSO?"));

        Assert.True(result.GetRawResponse().Headers.TryGetValue(CandidateForwarder.ServedByHeader, out var servedBy));
        Assert.Equal("candidate", servedBy);
        Assert.Equal("cand-4.1", result.Value.Model);
        Assert.Equal(1, flaky.Attempts);
        Assert.Equal(2, app.Candidate.Stats.GetRouteCount(SimulatorStats.ChatRoute));
    }

    [Fact]
    public async Task SendAsync_StickyKeys_ExplicitScopeAndAmbientHeaderDecideTheArm()
    {
        await using var app = await OutgoingApp.StartAsync(o => o.Canary.StickyKey = "header:X-User-Id");
        app.SetWeight(50);
        var assignment = app.Get<CanaryAssignment>();
        var accessor = app.Get<IHttpContextAccessor>();
        var http = app.CreateHttpClient();

        for (var i = 0; i < 12; i++)
        {
            var key = $"user-{i}";
            var expected = await assignment.IsCanaryAsync(key, 50, CancellationToken.None);
            bool explicitArm;
            using (MigrationStickyKey.Use(key))
            {
                explicitArm = await ServedByCandidateAsync(http, app);
            }

            var context = new DefaultHttpContext();
            context.Request.Headers["X-User-Id"] = key;
            accessor.HttpContext = context;
            var ambientArm = await ServedByCandidateAsync(http, app);
            accessor.HttpContext = null;

            Assert.Equal((expected, expected), (explicitArm, ambientArm));
        }
    }

    [Fact]
    public async Task SendAsync_NotAProviderRoute_GoesOutUntouched()
    {
        await using var app = await OutgoingApp.StartAsync();
        app.SetWeight(100);
        var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Infrastructure.TestOptions.PrimaryKey);

        using var models = await http.GetAsync(new Uri(app.Primary.Url + "/v1/models"));

        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Equal(0, app.Candidate.Stats.TotalRequests);
        Assert.Equal(0, app.Get<TrafficAggregator>().OpenCount);
    }

    private static async Task<HttpStatusCode> SendChatAsync(HttpClient http, OutgoingApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.Primary.Url + "/v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Infrastructure.TestOptions.PrimaryKey);
        using var response = await http.SendAsync(request);
        _ = await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }

    private static async Task<bool> ServedByCandidateAsync(HttpClient http, OutgoingApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.Primary.Url + "/v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Infrastructure.TestOptions.PrimaryKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _ = await response.Content.ReadAsStringAsync();
        return response.Headers.Contains(CandidateForwarder.ServedByHeader);
    }

    private static long CanaryRequests(OutgoingApp app) => Buckets(app, TrafficArm.Canary).Sum(b => b.Requests);

    private static long CanaryFallbacks(OutgoingApp app) => Buckets(app, TrafficArm.Canary).Sum(b => b.Fallbacks);

    private static (long Requests, long ServerErrors) PrimaryRequests(OutgoingApp app)
    {
        var buckets = Buckets(app, TrafficArm.Primary);
        return (buckets.Sum(b => b.Requests), buckets.Sum(b => b.ErrorsServer));
    }

    private static List<Core.Storage.TrafficBucket> Buckets(OutgoingApp app, TrafficArm arm)
    {
        lock (app)
        {
            app.Collected.AddRange(app.Get<TrafficAggregator>().Collect(includeCurrent: true));
            return [.. app.Collected.Where(b => b.Arm == arm)];
        }
    }

    private sealed class RescuingFailover : IFailoverState
    {
        public bool RouteToCandidate => false;

        public bool CandidateCanRescue => true;
    }

    /// <summary>The primary's side failing the first <c>failures</c> attempts with a 503 (between the harness and the network).</summary>
    private sealed class FlakyPrimary(int failures, Action? onFailure = null) : DelegatingHandler
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                onFailure?.Invoke();
                _ = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                {
                    RequestMessage = request,
                    Content = new StringContent("""{"error":{"message":"overloaded","type":"server_error"}}""", Encoding.UTF8, "application/json"),
                };
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
