using System.Net.Http.Json;
using System.Text.Json;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;
using Migration.TestKit;
using Xunit.Abstractions;

namespace Migration.IntegrationTests.Canary;

/// <summary>
/// Shadow and live canary calls to the candidate are kept apart (own connection pools, <c>Candidate:ShadowApiKey</c>):
/// a candidate that rate-limits the shadow key leaves live canary requests succeeding, the shadow backs off with its
/// drops counted, and nothing counts toward a rollback; a candidate rate-limiting live traffic pauses the shadow.
/// </summary>
public sealed class ShadowRateLimitTests
{
    private const string ShadowKey = "sk-itest-holysheep-shadow-4b3c2d1e0f9a";

    private readonly ITestOutputHelper _output;

    public ShadowRateLimitTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task ShadowKeyRateLimited_LiveCanaryKeepsSucceeding_NoRollback_ShadowDropsCounted()
    {
        var interval = TimeSpan.FromSeconds(1);
        await using var stack = await StartAsync(interval, new FaultSettings { RateLimitedKey = ShadowKey, RetryAfterSeconds = 1 });
        await StartCanaryAsync(stack);

        // Production traffic, half of it canary: every answer must be a complete 200.
        await ProductionTraffic.SendConcurrentAsync(stack, 240, 4);

        // The controller sees this traffic (buckets flushed) and evaluates it for a few intervals.
        await Eventually.UntilAsync("canary buckets written", async () => await stack.ScalarAsync<long>("SELECT coalesce(sum(requests), 0) FROM traffic_buckets WHERE arm = 'canary'") >= 20);
        await Task.Delay(interval * 4);

        var canaryRequests = await stack.ScalarAsync<long>("SELECT coalesce(sum(requests), 0) FROM traffic_buckets WHERE arm = 'canary'");
        var canarySuccesses = await stack.ScalarAsync<long>("SELECT coalesce(sum(successes), 0) FROM traffic_buckets WHERE arm = 'canary'");
        var canaryFallbacks = await stack.ScalarAsync<long>("SELECT coalesce(sum(fallbacks + errors_rate_limited), 0) FROM traffic_buckets WHERE arm = 'canary'");
        var shadow429 = await stack.CountShadowRowsAsync("candidate_status = 429");
        var status = await stack.GetStatusAsync();
        var paused = status.GetProperty("shadow").GetProperty("dropped").GetProperty("paused").GetInt64();
        var canary = await stack.Admin.GetFromJsonAsync<JsonElement>("/migration/canary");
        _output.WriteLine($"canary arm: {canaryRequests} requests, {canarySuccesses} successes, {canaryFallbacks} fallbacks or 429s; shadow: {shadow429} rows with the candidate's 429, {paused} dropped while paused; canary state {canary.GetProperty("state").GetString()}");

        Assert.True(canaryRequests >= 20, $"the canary served {canaryRequests} requests");
        Assert.Equal(canaryRequests, canarySuccesses);
        Assert.Equal(0, canaryFallbacks);
        Assert.True(shadow429 >= 1, "the shadow key must have been rate-limited (the shadow sends its own key)");
        Assert.True(paused >= 1, "sampled exchanges dropped during the shadow's back-off must be counted (reason paused)");
        Assert.Equal("ramping", canary.GetProperty("state").GetString());
        Assert.Equal(50, canary.GetProperty("weight").GetDouble());
    }

    [Fact]
    public async Task LiveKeyRateLimited_ShadowBacksOff_UsersStillServed()
    {
        await using var stack = await StartAsync(TimeSpan.FromSeconds(1), new FaultSettings { RateLimitedKey = StackKeys.Candidate, RetryAfterSeconds = 200 });
        await StartCanaryAsync(stack);

        // Live canary requests get 429 (Retry-After beyond the live deadline, Candidate:Timeout 100 s): they fall back to the primary.
        await ProductionTraffic.SendConcurrentAsync(stack, 60, 2);
        await stack.WaitForQuietAsync();

        var status = await stack.GetStatusAsync();
        var shadow = status.GetProperty("shadow");
        var paused = shadow.GetProperty("dropped").GetProperty("paused").GetInt64();
        var shadow429 = await stack.CountShadowRowsAsync("candidate_status = 429");
        _output.WriteLine($"shadow dropped while paused: {paused}; paused until {shadow.GetProperty("pausedUntil")}; shadow rows with 429: {shadow429}");

        Assert.True(paused >= 1, "the shadow must back off while the candidate rate-limits live traffic");
        Assert.Equal(JsonValueKind.String, shadow.GetProperty("pausedUntil").ValueKind);
        Assert.Equal(0, shadow429);
    }

    private static async Task<MigrationStack> StartAsync(TimeSpan interval, FaultSettings faults)
    {
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.ExtraApiKeys = [ShadowKey];
        candidate.Faults = faults;
        return await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Candidate = candidate,
            Settings = CanaryNode.Settings(interval, new Dictionary<string, string?>
            {
                ["Migration:Canary:Steps:0"] = "50",
                ["Migration:Canary:Steps:1"] = "100",
                ["Migration:Shadow:Enabled"] = "true",
                ["Migration:Shadow:SampleRate"] = "1",
                ["Migration:Candidate:ShadowApiKey"] = ShadowKey,
            }),
        });
    }

    private static async Task StartCanaryAsync(MigrationStack stack)
    {
        using var start = await stack.Admin.PostAsync("/migration/canary/start", null);
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
        await Eventually.UntilAsync("weight 50 applied", async () =>
            (await stack.GetStatusAsync()).GetProperty("canary").GetProperty("weight").GetDouble() == 50);
    }
}
