using Migration.Core.Canary;
using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;
using Migration.Postgres.Canary;
using Migration.TestKit;
using Npgsql;

namespace Migration.Postgres.Tests.Canary;

public sealed class PostgresCanaryStoreTests : IAsyncLifetime
{
    private const string M = ICanaryStateStore.DefaultMigration;
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeClock _time = new(T0);
    private readonly CanaryPolicy _policy = new(new CanaryPolicyOptions { MinRequests = 10, StepHold = TimeSpan.FromMinutes(1) });
    private TestDatabase _db = null!;
    private PostgresCanaryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("canary_store");
        _store = PostgresCanaryStore.Create(_db.ConnectionString, _time);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task GetAsync_NoRow_CreatesIdleDefaultRow()
    {
        var state = await _store.GetAsync(M, CancellationToken.None);

        Assert.Equal(M, state.Migration);
        Assert.Equal(CanaryPhase.Idle, state.State.Phase);
        Assert.Equal(0, state.State.Weight);
        Assert.Equal(0, state.State.Version);
        Assert.Null(state.ShadowEnabled);
        Assert.Null(state.LastDecision);
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM canary_state WHERE migration = 'default' AND state = 'idle'"));
    }

    [Fact]
    public async Task ApplyAsync_StartCommand_WritesStateEventAndLastDecision()
    {
        var outcome = await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.Start("go"), _time.GetUtcNow()), "cli:alice", CancellationToken.None);

        Assert.True(outcome.Changed);
        Assert.False(outcome.Rejected);
        Assert.Equal(CanaryPhase.Ramping, outcome.State.State.Phase);
        Assert.Equal(5, outcome.State.State.Weight);
        Assert.Equal(1, outcome.State.State.Version);

        var stored = await _store.GetAsync(M, CancellationToken.None);
        Assert.Equal(CanaryPhase.Ramping, stored.State.Phase);
        Assert.Equal(5, stored.State.Weight);
        Assert.Equal(0, stored.State.StepIndex);
        Assert.Equal(1, stored.State.Version);
        Assert.Equal(T0, stored.State.StepStartedAt);
        Assert.Equal(outcome.Decision.Reason, stored.State.Reason);
        Assert.NotNull(stored.LastDecision);
        Assert.Equal("command_applied", stored.LastDecision.Kind);
        Assert.Equal("cli:alice", stored.LastDecision.Actor);
        Assert.Equal("ramping", stored.LastDecision.State);

        var events = await _store.GetEventsAsync(M, 10, CancellationToken.None);
        var e = Assert.Single(events);
        Assert.Equal(outcome.EventId, e.Id);
        Assert.Equal(("idle", "ramping", 0d, 5d), (e.FromState, e.ToState, e.FromWeight, e.ToWeight));
        Assert.Equal("cli:alice", e.Actor);
        Assert.Contains("go", e.Reason, StringComparison.Ordinal);
        Assert.Equal(T0, e.Time);
        Assert.Null(e.Metrics);
    }

    [Fact]
    public async Task ApplyAsync_RejectedCommand_WritesNothing()
    {
        var outcome = await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.Promote(), _time.GetUtcNow()), "cli:bob", CancellationToken.None);

        Assert.True(outcome.Rejected);
        Assert.False(outcome.Changed);
        Assert.Equal(0, (await _store.GetAsync(M, CancellationToken.None)).State.Version);
        Assert.Empty(await _store.GetEventsAsync(M, 10, CancellationToken.None));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM canary_state WHERE last_decision IS NULL"));
    }

    [Fact]
    public async Task ApplyAsync_EvaluationTrips_RollsBackWithMetricsInEvent()
    {
        await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.Start(), _time.GetUtcNow()), "api", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        var canary = new WindowStats { Requests = 100, Successes = 80, ErrorsServer = 20, P99Milliseconds = 300 };

        var outcome = await _store.ApplyAsync(M, s => _policy.Evaluate(s, canary, WindowStats.Empty, _time.GetUtcNow()), "controller", CancellationToken.None);

        Assert.Equal(CanaryDecisionKind.Rollback, outcome.Decision.Kind);
        var stored = await _store.GetAsync(M, CancellationToken.None);
        Assert.Equal(CanaryPhase.RolledBack, stored.State.Phase);
        Assert.Equal(0, stored.State.Weight);
        Assert.Equal(2, stored.State.Version);
        Assert.Equal("rollback", stored.LastDecision!.Kind);
        Assert.Equal(0.2, stored.LastDecision.Metrics!.CanaryErrorRate, 9);
        var e = (await _store.GetEventsAsync(M, 1, CancellationToken.None))[0];
        Assert.Equal(("ramping", "rolled_back", 5d, 0d, "controller"), (e.FromState, e.ToState, e.FromWeight, e.ToWeight, e.Actor));
        Assert.NotNull(e.Metrics);
        Assert.Equal(100, e.Metrics.CanaryRequests);
        Assert.Equal(0.2, e.Metrics.CanaryErrorRate, 9);
        Assert.Contains("error_rate", e.Metrics.Trips);
        Assert.Equal(T0.AddSeconds(30), e.Time);
        Assert.Contains("\"canaryErrorRate\"", await _db.ScalarAsync<string>("SELECT metrics::text FROM canary_events ORDER BY id DESC LIMIT 1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_HoldEvaluation_RecordsLastDecisionWithoutEvent()
    {
        await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.Start(), _time.GetUtcNow()), "api", CancellationToken.None);
        var few = new WindowStats { Requests = 3, Successes = 3 };

        var outcome = await _store.ApplyAsync(M, s => _policy.Evaluate(s, few, WindowStats.Empty, _time.GetUtcNow()), "controller", CancellationToken.None);

        Assert.Equal(CanaryDecisionKind.Hold, outcome.Decision.Kind);
        Assert.False(outcome.Changed);
        var stored = await _store.GetAsync(M, CancellationToken.None);
        Assert.Equal(1, stored.State.Version);
        Assert.Equal("hold", stored.LastDecision!.Kind);
        Assert.Equal("controller", stored.LastDecision.Actor);
        Assert.Equal(3, stored.LastDecision.Metrics!.CanaryRequests);
        Assert.Single(await _store.GetEventsAsync(M, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentWriters_NoUpdateIsLost()
    {
        await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.SetWeight(1), _time.GetUtcNow()), "api", CancellationToken.None);
        const int Writers = 24;

        // Each writer adds 1 to the weight it reads: a lost update would leave the weight below 1 + Writers.
        var tasks = Enumerable.Range(0, Writers).Select(i => Task.Run(() => _store.ApplyAsync(
            M,
            s => _policy.Apply(s, CanaryCommand.SetWeight(s.Weight + 1, $"writer {i}"), _time.GetUtcNow()),
            $"writer-{i}",
            CancellationToken.None)));
        var outcomes = await Task.WhenAll(tasks);

        Assert.All(outcomes, o => Assert.True(o.Changed));
        var stored = await _store.GetAsync(M, CancellationToken.None);
        Assert.Equal(1 + Writers, stored.State.Weight);
        Assert.Equal(1 + Writers, stored.State.Version);
        Assert.Equal(Enumerable.Range(2, Writers).Select(v => (long)v), outcomes.Select(o => o.State.State.Version).Order());
        Assert.Equal(1 + Writers, (await _store.GetEventsAsync(M, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task SetShadowAsync_EnabledAndRate_StoredWithEvent()
    {
        var state = await _store.SetShadowAsync(M, true, 0.25, "cli:carol", "start mirroring", CancellationToken.None);
        Assert.Equal((true, 0.25), (state.ShadowEnabled, state.ShadowSampleRate));

        await _store.SetShadowAsync(M, false, null, "cli:carol", null, CancellationToken.None);

        var stored = await _store.GetAsync(M, CancellationToken.None);
        Assert.False(stored.ShadowEnabled);
        Assert.Equal(0.25, stored.ShadowSampleRate);
        var events = await _store.GetEventsAsync(M, 10, CancellationToken.None);
        Assert.Equal(2, events.Count);
        Assert.Equal("shadow disabled, sample rate 0.25", events[0].Reason);
        Assert.Equal("shadow enabled, sample rate 0.25: start mirroring", events[1].Reason);
        Assert.All(events, e => Assert.Equal("cli:carol", e.Actor));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public async Task SetShadowAsync_RateOutsideRange_Throws(double rate)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.SetShadowAsync(M, null, rate, "api", null, CancellationToken.None));
        Assert.Empty(await _store.GetEventsAsync(M, 10, CancellationToken.None));
    }

    [Fact]
    public async Task GetEventsAsync_Limit_NewestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.SetWeight(10 + i), _time.GetUtcNow()), "api", CancellationToken.None);
        }

        var events = await _store.GetEventsAsync(M, 3, CancellationToken.None);

        Assert.Equal([14d, 13d, 12d], events.Select(e => e.ToWeight));
        Assert.Empty(await _store.GetEventsAsync("other", 3, CancellationToken.None));
    }

    [Fact]
    public async Task GetEventsAsync_HealthStatusChanges_LeftOutHealthSwitchesKept()
    {
        await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.Start("go"), _time.GetUtcNow()), "api", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _store.RecordEventAsync(M, "health", "failover", """{"kind":"failover","direction":"to_candidate"}""", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _store.RecordEventAsync(M, "health", "candidate: healthy -> degraded", """{"kind":"status"}""", CancellationToken.None);
        await _store.RecordEventAsync(M, "health", "old switch without metrics", null, CancellationToken.None);
        await _store.RecordEventAsync(M, "controller", "not health", """{"kind":"status"}""", CancellationToken.None);

        var events = await _store.GetEventsAsync(M, 10, CancellationToken.None);

        Assert.Equal(["not health", "old switch without metrics", "failover"], events.Take(3).Select(e => e.Reason));
        Assert.Equal(4, events.Count);
        Assert.Null(events.Single(e => e.Reason == "failover").Metrics);
        Assert.Single(await _store.GetActorEventsAsync(M, "health", _time.GetUtcNow(), 10, CancellationToken.None), e => e.Reason == "candidate: healthy -> degraded");
    }

    [Fact]
    public async Task GetActorEventsAsync_ActorSinceLimit_NewestFirstWithRawMetrics()
    {
        var start = _time.GetUtcNow();
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await _store.RecordEventAsync(M, "health", $"health {i}", $$"""{"kind":"status","n":{{i}}}""", CancellationToken.None);
            await _store.ApplyAsync(M, s => _policy.Apply(s, CanaryCommand.SetWeight(10 + i), _time.GetUtcNow()), "api", CancellationToken.None);
        }

        await _store.RecordEventAsync("other", "health", "other migration", null, CancellationToken.None);

        var all = await _store.GetActorEventsAsync(M, "health", null, 10, CancellationToken.None);
        var since = await _store.GetActorEventsAsync(M, "health", start.AddSeconds(3), 10, CancellationToken.None);
        var limited = await _store.GetActorEventsAsync(M, "health", null, 2, CancellationToken.None);

        Assert.Equal(["health 3", "health 2", "health 1", "health 0"], all.Select(e => e.Reason));
        Assert.All(all, e => Assert.Equal("health", e.Actor));
        Assert.Equal(start.AddSeconds(4), all[0].Time);
        Assert.Equal("""{"n": 3, "kind": "status"}""", all[0].MetricsJson);
        Assert.True(all[0].Id > all[1].Id);
        Assert.Equal(["health 3", "health 2"], since.Select(e => e.Reason));
        Assert.Equal(["health 3", "health 2"], limited.Select(e => e.Reason));
        Assert.Equal(4, (await _store.GetActorEventsAsync(M, "api", null, 10, CancellationToken.None)).Count);
        Assert.Null(Assert.Single(await _store.GetActorEventsAsync("other", "health", null, 10, CancellationToken.None)).MetricsJson);
    }

    [Fact]
    public async Task GetBucketsAsync_Window_ReadsCountsAndHistograms()
    {
        await InsertBucketAsync(T0.AddSeconds(-1), TrafficArm.Canary, 5, 5, 1_000);
        await InsertBucketAsync(T0, TrafficArm.Canary, 10, 9, 2_000);
        await InsertBucketAsync(T0.AddSeconds(1), TrafficArm.Primary, 20, 20, 4_000);
        await InsertBucketAsync(T0.AddSeconds(2), TrafficArm.Canary, 7, 7, 1_000);

        var buckets = await _store.GetBucketsAsync(T0, T0.AddSeconds(2), CancellationToken.None);

        Assert.Equal(2, buckets.Count);
        var canary = WindowStats.FromBuckets(buckets, TrafficArm.Canary);
        Assert.Equal((10L, 9L, 1L), (canary.Requests, canary.Successes, canary.ErrorsServer));
        Assert.Equal(2.0, canary.P99Milliseconds, 1);
        var primary = Assert.Single(buckets, b => b.Arm == TrafficArm.Primary);
        Assert.Equal(20, primary.Latency.Count);
        Assert.Equal("host-a", primary.Instance);
        Assert.Equal(T0.AddSeconds(1), primary.Second);
    }

    [Fact]
    public async Task GetFreshnessAsync_Data_NewestTimes()
    {
        Assert.Equal(new DataFreshness(null, null), await _store.GetFreshnessAsync(CancellationToken.None));
        await InsertBucketAsync(T0, TrafficArm.Primary, 1, 1, 1_000);
        await InsertBucketAsync(T0.AddSeconds(5), TrafficArm.Primary, 1, 1, 1_000);

        var freshness = await _store.GetFreshnessAsync(CancellationToken.None);

        Assert.Equal(T0.AddSeconds(5), freshness.NewestBucket);
        Assert.Null(freshness.NewestShadowResult);
    }

    private async Task InsertBucketAsync(DateTimeOffset second, TrafficArm arm, long requests, long successes, long latencyMicros)
    {
        var latency = new LatencyHistogram();
        latency.RecordMicroseconds(latencyMicros, requests);
        await using var connection = await _db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO traffic_buckets (second, instance, arm, model, requests, successes, errors_timeout, errors_rate_limited, " +
            "errors_server, errors_client, errors_connection, fallbacks, errors_other, shadow_sampled, shadow_dropped, latency_hist, ttft_hist) " +
            "VALUES (@s, 'host-a', @arm, 'gpt-4.1', @r, @ok, 0, 0, @r - @ok, 0, 0, 0, 0, 0, 0, @lat, @ttft)",
            connection);
        command.Parameters.AddWithValue("s", second);
        command.Parameters.AddWithValue("arm", arm == TrafficArm.Canary ? "canary" : "primary");
        command.Parameters.AddWithValue("r", requests);
        command.Parameters.AddWithValue("ok", successes);
        command.Parameters.AddWithValue("lat", latency.ToBytes());
        command.Parameters.AddWithValue("ttft", new LatencyHistogram().ToBytes());
        await command.ExecuteNonQueryAsync();
    }
}
