using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Exchange;
using Migration.Simulator;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Candidate;

public class CandidateClientTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("https://api.holysheep.ai/v1", "/v1/chat/completions", "https://api.holysheep.ai/v1/chat/completions")]
    [InlineData("https://relay.example/openai/v1/", "/v1/embeddings", "https://relay.example/openai/v1/embeddings")]
    public void UriFor_Route_DropsTheV1OfTheRoute(string baseUrl, string route, string expected)
    {
        var options = new MigrationHarnessOptions();
        TestOptions.Valid(baseUrl)(options);
        using var client = new CandidateClient(Options.Create(options), new FakeClock());

        Assert.Equal(new Uri(expected), client.UriFor(route));
    }

    [Fact]
    public void ShadowPause_Seconds_IsThatLong() =>
        Assert.Equal(TimeSpan.FromSeconds(7), CandidateClient.ShadowPause(Headers(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))), Now));

    [Fact]
    public void ShadowPause_HttpDate_IsTheTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(12), CandidateClient.ShadowPause(Headers(new RetryConditionHeaderValue(Now.AddSeconds(12))), Now));

    [Fact]
    public void ShadowPause_Absent_IsOneSecond() =>
        Assert.Equal(TimeSpan.FromSeconds(1), CandidateClient.ShadowPause(Headers(null), Now));

    [Fact]
    public void ShadowPause_Huge_IsCapped() =>
        Assert.Equal(CandidateClient.MaxRetryAfter, CandidateClient.ShadowPause(Headers(new RetryConditionHeaderValue(TimeSpan.FromHours(1))), Now));

    [Fact]
    public void ShadowPause_DateInThePast_IsOneSecond() =>
        Assert.Equal(TimeSpan.FromSeconds(1), CandidateClient.ShadowPause(Headers(new RetryConditionHeaderValue(Now.AddSeconds(-30))), Now));

    [Fact]
    public void ShadowPause_RetryAfterMs_ReadAsTheLivePathReadsIt() =>
        Assert.Equal(TimeSpan.FromMilliseconds(2500), CandidateClient.ShadowPause(Headers(new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)), retryAfterMs: "2500"), Now));

    [Fact]
    public async Task ShadowAndLive_SeparateHandlersAndKeys()
    {
        var options = new MigrationHarnessOptions();
        TestOptions.Valid("http://candidate.test/v1")(options);
        options.Candidate.ApiKey = "live-key-0123456789";
        options.Candidate.ShadowApiKey = "shadow-key-0123456789";
        var live = new RecordingHandler();
        var shadow = new RecordingHandler();
        using var client = new CandidateClient(Options.Create(options), new FakeClock(), live, shadow);

        using (await client.SendLiveAsync("/v1/chat/completions", "{}"u8.ToArray(), streamed: false, CancellationToken.None))
        {
        }

        using (await client.SendShadowAsync("/v1/chat/completions", "{}"u8.ToArray(), streamed: false, CancellationToken.None))
        {
        }

        Assert.Equal(["Bearer live-key-0123456789"], live.Authorizations);
        Assert.Equal(["Bearer shadow-key-0123456789"], shadow.Authorizations);
    }

    [Fact]
    public async Task Shadow_WithoutShadowKey_SendsTheCandidateKey()
    {
        var options = new MigrationHarnessOptions();
        TestOptions.Valid("http://candidate.test/v1")(options);
        options.Candidate.ApiKey = "live-key-0123456789";
        var live = new RecordingHandler();
        var shadow = new RecordingHandler();
        using var client = new CandidateClient(Options.Create(options), new FakeClock(), live, shadow);

        using (await client.SendShadowAsync("/v1/chat/completions", "{}"u8.ToArray(), streamed: false, CancellationToken.None))
        {
        }

        Assert.Empty(live.Authorizations);
        Assert.Equal(["Bearer live-key-0123456789"], shadow.Authorizations);
    }

    [Fact]
    public void CreateHandler_Options_AreSafeForForwarding()
    {
        var candidate = new CandidateProviderOptions { ConnectTimeout = TimeSpan.FromSeconds(3), MaxConnections = 40 };

        using var handler = CandidateClient.CreateHandler(candidate, candidate.MaxConnections);

        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(System.Net.DecompressionMethods.None, handler.AutomaticDecompression);
        Assert.Equal(TimeSpan.FromSeconds(3), handler.ConnectTimeout);
        Assert.Equal(40, handler.MaxConnectionsPerServer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendShadowAsync_RoleChunkAtOnceContentAfterTheTtft_TtftIsTheFirstContentFirstByteItsOwnFigure(bool noiseFloorCall)
    {
        var time = new FakeClock();
        var simulator = new SimulatorOptions { Name = "provider", EarlyRoleChunk = true, TtftMedianMs = 5_000, TtftP99Ms = 5_000, AnswerStyle = AnswerStyle.Verbatim };
        await using var host = await SimulatorHost.StartAsync(simulator, time, CancellationToken.None);
        var options = new MigrationHarnessOptions();
        TestOptions.Valid(host.Url + "/v1", o => o.Primary.BaseUrl = host.Url + "/v1")(options);
        var handler = new ReadPacedHandler();
        using var client = noiseFloorCall ? CandidateClient.ForPrimary(options, time, handler)! : new CandidateClient(Options.Create(options), time, handler);
        var body = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4.1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"How do I reset my password?\"}]}");

        var pending = client.SendShadowAsync("/v1/chat/completions", body, streamed: true, CancellationToken.None);
        await handler.FirstBytesTaken.WaitAsync(TimeSpan.FromSeconds(10)); // the role chunk, at once
        await time.WaitForTimersAsync(2); // the shadow timeout and the provider's time to first token
        time.Advance(TimeSpan.FromMilliseconds(5_000));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ErrorClass.None, response.Error);
        Assert.Equal(TimeSpan.Zero, response.FirstByte);
        Assert.Equal(TimeSpan.FromMilliseconds(5_000), response.Ttft);
    }

    private static HttpResponseHeaders Headers(RetryConditionHeaderValue? retryAfter, string? retryAfterMs = null)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = retryAfter;
        if (retryAfterMs is not null)
        {
            response.Headers.TryAddWithoutValidation("retry-after-ms", retryAfterMs);
        }

        return response.Headers;
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }
}
