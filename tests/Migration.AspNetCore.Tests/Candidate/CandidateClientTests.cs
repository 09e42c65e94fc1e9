using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
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
    public void CreateHandler_Options_AreSafeForForwarding()
    {
        var candidate = new CandidateProviderOptions { ConnectTimeout = TimeSpan.FromSeconds(3), MaxConnections = 40 };

        using var handler = CandidateClient.CreateHandler(candidate);

        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(System.Net.DecompressionMethods.None, handler.AutomaticDecompression);
        Assert.Equal(TimeSpan.FromSeconds(3), handler.ConnectTimeout);
        Assert.Equal(40, handler.MaxConnectionsPerServer);
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
}
