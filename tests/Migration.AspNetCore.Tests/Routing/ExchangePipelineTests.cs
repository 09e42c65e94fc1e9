using System.Net;
using Microsoft.AspNetCore.Http;
using Migration.AspNetCore.Tests.Canary;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Tests.Routing;

/// <summary>
/// A request whose primary provider call fails before its first byte is served by a healthy candidate in the same
/// deadline (middleware mode: the gateway's own provider call is answered by the candidate), counted in the failover
/// arm, never as canary traffic. The handler's side is in <see cref="MigrationHandlerTests"/>.
/// </summary>
public sealed class ExchangePipelineTests
{
    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task RunAsync_PrimaryProviderFailsBeforeFirstByte_CandidateServesInTheFailoverArm(int status)
    {
        await using var provider = await FakeCandidate.StartAsync();
        provider.Handler = ctx => FailAsync(ctx, status, retryAfter: null);
        await using var app = await CanaryApp.StartAsync(failover: new Rescuable(), primaryProvider: provider);
        using var client = app.CreateClient();

        using var response = await CandidateForwarderTests.PostChatAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CanaryApp.CandidateAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, app.ArmCounts(TrafficArm.Failover).Successes);
        Assert.Equal(0, app.CanaryCounts().Requests);
        Assert.Single(app.Candidate.Requests);
    }

    [Fact]
    public async Task RunAsync_PrimaryProviderUnreachable_CandidateServes()
    {
        var provider = await FakeCandidate.StartAsync();
        await using var app = await CanaryApp.StartAsync(failover: new Rescuable(), primaryProvider: provider);
        await provider.DisposeAsync();
        using var client = app.CreateClient();

        using var response = await CandidateForwarderTests.PostChatAsync(client);

        Assert.Equal(CanaryApp.CandidateAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, app.ArmCounts(TrafficArm.Failover).Successes);
    }

    [Fact]
    public async Task RunAsync_CandidateNotKnownHealthy_ThePrimarysFailureStands()
    {
        await using var provider = await FakeCandidate.StartAsync();
        provider.Handler = ctx => FailAsync(ctx, 503, retryAfter: null);
        await using var app = await CanaryApp.StartAsync(failover: new Rescuable(canRescue: false), primaryProvider: provider);
        using var client = app.CreateClient();

        using var response = await CandidateForwarderTests.PostChatAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(app.Candidate.Requests);
        Assert.Equal(0, app.ArmCounts(TrafficArm.Failover).Requests);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3600, true)]
    public async Task RunAsync_Primary429_RescuedOnlyWhenRetryAfterExceedsTheDeadline(int retryAfterSeconds, bool rescued)
    {
        await using var provider = await FakeCandidate.StartAsync();
        provider.Handler = ctx => FailAsync(ctx, 429, retryAfterSeconds);
        await using var app = await CanaryApp.StartAsync(o => o.Candidate.Timeout = TimeSpan.FromSeconds(30), failover: new Rescuable(), primaryProvider: provider);
        using var client = app.CreateClient();

        using var response = await CandidateForwarderTests.PostChatAsync(client);

        Assert.Equal(rescued ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(rescued ? 1 : 0, app.Candidate.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_PrimarySpentTheDeadline_CandidateIsNotCalledAndThePrimarysFailureStands()
    {
        await using var provider = await FakeCandidate.StartAsync();
        CanaryApp? started = null;
        provider.Handler = ctx =>
        {
            // The primary took the whole deadline (on the fake clock) before failing.
            started!.Time.Advance(TimeSpan.FromSeconds(31));
            return FailAsync(ctx, 503, retryAfter: null);
        };
        await using var app = started = await CanaryApp.StartAsync(o => o.Candidate.Timeout = TimeSpan.FromSeconds(30), failover: new Rescuable(), primaryProvider: provider);
        using var client = app.CreateClient();

        using var response = await CandidateForwarderTests.PostChatAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(app.Candidate.Requests);
        Assert.Equal((1, 0, 1), Counts(app.ArmCounts(TrafficArm.Failover)));
    }

    [Fact]
    public async Task RunAsync_AppsOwnFailure_IsNotRescued()
    {
        await using var provider = await FakeCandidate.StartAsync();
        await using var app = await CanaryApp.StartAsync(failover: new Rescuable(), primaryProvider: provider);
        app.Handler500 = true;
        using var client = app.CreateClient();

        using var response = await CandidateForwarderTests.PostChatAsync(client);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(app.Candidate.Requests);
    }

    private static (long Requests, long Successes, long Fallbacks) Counts((long Requests, long Successes, long Fallbacks, long Truncated) c) =>
        (c.Requests, c.Successes, c.Fallbacks);

    private static Task FailAsync(HttpContext context, int status, int? retryAfter)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsync("""{"error":{"message":"primary down"}}""");
    }

    /// <summary>Not failed over, but a failed primary call may be served by the candidate (or not).</summary>
    private sealed class Rescuable(bool canRescue = true) : IFailoverState
    {
        public bool RouteToCandidate => false;

        public bool CandidateCanRescue => canRescue;
    }
}
