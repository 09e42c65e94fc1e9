using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Migration.Core.Canary;
using Migration.Core.Storage;
using Migration.Postgres.Canary;
using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class StatusCommandTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private CliRun _cli = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("cli_status");
        _cli = new CliRun(_db.ConnectionString);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task RunAsync_FreshDatabase_IdleWithNothingYet()
    {
        var result = await _cli.RunAsync("status");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("state           idle", result.Out, StringComparison.Ordinal);
        Assert.Contains("weight          0 %", result.Out, StringComparison.Ordinal);
        Assert.Contains("leader          none yet", result.Out, StringComparison.Ordinal);
        Assert.Contains("last decision   none", result.Out, StringComparison.Ordinal);
        Assert.Contains("shadow          as configured, sample rate as configured", result.Out, StringComparison.Ordinal);
        Assert.Contains("traffic buckets: newest never; shadow results: newest never", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RampingWithLeaderAndEvaluation_ShowsEverything()
    {
        await _cli.RunAsync("canary", "start");
        await _cli.RunAsync("shadow", "sample-rate", "0.5");
        await using (var lease = new PostgresLeaderLeaseFactory(_db.ConnectionString, _cli.Time, NullLoggerFactory.Instance).Create(ICanaryStateStore.DefaultMigration, "web-1"))
        {
            Assert.True(await lease.TryAcquireAsync(CancellationToken.None));
            Assert.True(await lease.HeartbeatAsync(CancellationToken.None));
        }

        await using (var store = PostgresCanaryStore.Create(_db.ConnectionString, _cli.Time))
        {
            var policy = new CanaryPolicy(new CanaryPolicyOptions());
            var few = new WindowStats { Requests = 12, Successes = 12, P99Milliseconds = 230 };
            await store.ApplyAsync(ICanaryStateStore.DefaultMigration, s => policy.Evaluate(s, few, WindowStats.Empty, _cli.Time.GetUtcNow()), "controller", CancellationToken.None);
        }

        await _db.ScalarAsync<int>(
            "INSERT INTO traffic_buckets (second, instance, arm, model, requests, successes, errors_timeout, errors_rate_limited, errors_server, errors_client, " +
            "errors_connection, fallbacks, errors_other, shadow_sampled, shadow_dropped, latency_hist, ttft_hist) " +
            "VALUES ('2025-06-02 08:59:58+00', 'web-1', 'canary', 'gpt-4.1', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\x'::bytea, '\\x'::bytea) RETURNING 1");
        _cli.Time.Advance(TimeSpan.FromSeconds(12));

        var result = await _cli.RunAsync("status");
        var json = await _cli.RunAsync("status", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("state           ramping", result.Out, StringComparison.Ordinal);
        Assert.Contains("weight          5 %", result.Out, StringComparison.Ordinal);
        Assert.Contains("step            1 of 5 (steps 5, 10, 25, 50, 100)", result.Out, StringComparison.Ordinal);
        Assert.Contains("leader          web-1 (heartbeat 12s ago)", result.Out, StringComparison.Ordinal);
        Assert.Contains("last decision   hold by controller 12s ago", result.Out, StringComparison.Ordinal);
        Assert.Contains("canary 12 req", result.Out, StringComparison.Ordinal);
        Assert.Contains("p99 230 ms", result.Out, StringComparison.Ordinal);
        Assert.Contains("shadow          as configured, sample rate 0.5", result.Out, StringComparison.Ordinal);
        Assert.Contains("traffic buckets: newest 14s ago", result.Out, StringComparison.Ordinal);

        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.Equal("ramping", root.GetProperty("state").GetString());
        Assert.Equal(5, root.GetProperty("weight").GetDouble());
        Assert.Equal("web-1", root.GetProperty("leader").GetProperty("instance").GetString());
        Assert.Equal(12, root.GetProperty("leader").GetProperty("heartbeatAgeSeconds").GetDouble());
        Assert.Equal("hold", root.GetProperty("lastDecision").GetProperty("kind").GetString());
        Assert.Equal(12, root.GetProperty("lastDecision").GetProperty("metrics").GetProperty("canaryRequests").GetInt64());
        Assert.Equal(0.5, root.GetProperty("shadow").GetProperty("sampleRate").GetDouble());
        Assert.Equal(14, root.GetProperty("freshness").GetProperty("newestBucketAgeSeconds").GetDouble());
    }
}
