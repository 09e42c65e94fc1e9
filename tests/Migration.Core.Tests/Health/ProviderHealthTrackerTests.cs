using Migration.Core.Health;

namespace Migration.Core.Tests.Health;

public sealed class ProviderHealthTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ms50 = TimeSpan.FromMilliseconds(50);

    private static ProviderHealthTracker Create(ProviderHealthOptions? options = null) =>
        new("openai", options ?? new ProviderHealthOptions { FailureThreshold = 3, RecoveryThreshold = 2, MinSamples = 10 }, T0);

    [Fact]
    public void Constructor_NoSignal_Unknown()
    {
        var tracker = Create();

        var snapshot = tracker.Snapshot(T0);

        Assert.Equal(ProviderStatus.Unknown, snapshot.Status);
        Assert.Equal(T0, snapshot.Since);
        Assert.Null(snapshot.SuccessRate);
        Assert.Null(snapshot.AverageLatency);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ProviderHealthTracker(
            "x", new ProviderHealthOptions { FailureThreshold = 0, RecoveryThreshold = 0, LatencySmoothing = 0 }, T0));

        Assert.Contains("FailureThreshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RecoveryThreshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LatencySmoothing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordSuccess_FromUnknown_HealthyAtOnce()
    {
        var tracker = Create();

        var status = tracker.RecordSuccess(Ms50, T0.AddSeconds(1));

        Assert.Equal(ProviderStatus.Healthy, status);
        Assert.Equal(T0.AddSeconds(1), tracker.Snapshot(T0.AddSeconds(1)).Since);
    }

    [Fact]
    public void RecordFailure_BelowThreshold_DegradedNotUnhealthy()
    {
        var tracker = Create();
        tracker.RecordSuccess(Ms50, T0);

        tracker.RecordFailure(T0.AddSeconds(1), "503");
        var status = tracker.RecordFailure(T0.AddSeconds(2), "503");

        Assert.Equal(ProviderStatus.Degraded, status);
        Assert.Equal(2, tracker.Snapshot(T0.AddSeconds(2)).ConsecutiveFailures);
    }

    [Fact]
    public void RecordFailure_ThresholdConsecutive_UnhealthySinceThirdFailure()
    {
        var tracker = Create();
        tracker.RecordSuccess(Ms50, T0);

        tracker.RecordFailure(T0.AddSeconds(1));
        tracker.RecordFailure(T0.AddSeconds(2));
        var status = tracker.RecordFailure(T0.AddSeconds(3), "connection refused");

        var snapshot = tracker.Snapshot(T0.AddSeconds(3));
        Assert.Equal(ProviderStatus.Unhealthy, status);
        Assert.Equal(T0.AddSeconds(3), snapshot.Since);
        Assert.Equal("connection refused", snapshot.LastError);
    }

    [Fact]
    public void RecordFailure_FromUnknownThresholdReached_Unhealthy()
    {
        var tracker = Create();

        tracker.RecordFailure(T0);
        tracker.RecordFailure(T0.AddSeconds(1));
        Assert.Equal(ProviderStatus.Unknown, tracker.Status);
        var status = tracker.RecordFailure(T0.AddSeconds(2));

        Assert.Equal(ProviderStatus.Unhealthy, status);
    }

    [Fact]
    public void RecordSuccess_OneAfterOutage_StaysUnhealthy()
    {
        var tracker = Unhealthy();

        var status = tracker.RecordSuccess(Ms50, T0.AddSeconds(10));

        Assert.Equal(ProviderStatus.Unhealthy, status);
    }

    [Fact]
    public void RecordSuccess_RecoveryThresholdAfterOutage_HealthyDespiteOutageInWindow()
    {
        var tracker = Create(new ProviderHealthOptions { FailureThreshold = 3, RecoveryThreshold = 2, MinSamples = 3 });
        tracker.RecordSuccess(Ms50, T0);
        for (var i = 1; i <= 6; i++)
        {
            tracker.RecordFailure(T0.AddSeconds(i));
        }

        tracker.RecordSuccess(Ms50, T0.AddSeconds(10));
        var status = tracker.RecordSuccess(Ms50, T0.AddSeconds(11));

        Assert.Equal(ProviderStatus.Healthy, status);
        Assert.Equal(1.0, tracker.Snapshot(T0.AddSeconds(11)).SuccessRate);
        Assert.Equal(T0.AddSeconds(11), tracker.Snapshot(T0.AddSeconds(11)).Since);

        // And the next single success keeps it there (the old failures no longer count).
        Assert.Equal(ProviderStatus.Healthy, tracker.RecordSuccess(Ms50, T0.AddSeconds(12)));
    }

    [Fact]
    public void RecordSuccess_DegradedThenOneSuccess_StaysDegradedUntilRecoveryThreshold()
    {
        var tracker = Create();
        tracker.RecordSuccess(Ms50, T0);
        tracker.RecordFailure(T0.AddSeconds(1));

        Assert.Equal(ProviderStatus.Degraded, tracker.RecordSuccess(Ms50, T0.AddSeconds(2)));
        Assert.Equal(ProviderStatus.Healthy, tracker.RecordSuccess(Ms50, T0.AddSeconds(3)));
    }

    [Fact]
    public void Record_AlternatingFailures_NeverUnhealthyByConsecutiveRule()
    {
        var tracker = Create(new ProviderHealthOptions { FailureThreshold = 3, RecoveryThreshold = 2, MinSamples = 10, UnhealthySuccessRate = 0.4 });
        tracker.RecordSuccess(Ms50, T0);

        for (var i = 1; i <= 40; i++)
        {
            var now = T0.AddSeconds(i);
            var status = i % 2 == 0 ? tracker.RecordSuccess(Ms50, now) : tracker.RecordFailure(now);
            Assert.NotEqual(ProviderStatus.Unhealthy, status);
        }

        Assert.Equal(ProviderStatus.Degraded, tracker.Status);
    }

    [Fact]
    public void RecordLive_FailuresInARow_NeitherConsecutiveFailuresNorDegradedBelowMinSamples()
    {
        var tracker = Create(new ProviderHealthOptions { FailureThreshold = 2, RecoveryThreshold = 2, MinSamples = 20 });
        tracker.RecordSuccess(Ms50, T0);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ProviderStatus.Healthy, tracker.RecordLive(false, Ms50, T0, "HTTP 503"));
        }

        var snapshot = tracker.Snapshot(T0);
        Assert.Equal(0, snapshot.ConsecutiveFailures);
        Assert.Equal(0, snapshot.ConsecutiveSuccesses);
        Assert.Equal(6, snapshot.Samples);

        // A probe failure still counts as one; a live success ends the probe failures' run.
        Assert.Equal(ProviderStatus.Degraded, tracker.RecordFailure(T0, "probe"));
        tracker.RecordLive(true, Ms50, T0);
        Assert.Equal(0, tracker.Snapshot(T0).ConsecutiveFailures);
    }

    [Fact]
    public void RecordLive_ErrorRateOverMinSamples_Unhealthy()
    {
        var tracker = Create(new ProviderHealthOptions { FailureThreshold = 2, MinSamples = 20, UnhealthySuccessRate = 0.5 });
        tracker.RecordSuccess(Ms50, T0);
        var status = ProviderStatus.Unknown;
        for (var i = 0; i < 19; i++)
        {
            status = tracker.RecordLive(false, Ms50, T0.AddMilliseconds(i), "HTTP 503");
        }

        Assert.Equal(ProviderStatus.Unhealthy, status);
        Assert.Equal(20, tracker.Snapshot(T0.AddSeconds(1)).Samples);
    }

    [Fact]
    public void Record_SuccessRateBelowFloorWithoutConsecutiveFailures_Unhealthy()
    {
        var tracker = Create(new ProviderHealthOptions { FailureThreshold = 5, RecoveryThreshold = 2, MinSamples = 10, UnhealthySuccessRate = 0.5, Window = TimeSpan.FromSeconds(60) });
        tracker.RecordSuccess(Ms50, T0);

        // Pattern F F S repeated: never 3 in a row below threshold 5, success rate 1/3.
        var status = ProviderStatus.Unknown;
        for (var i = 1; i <= 12; i++)
        {
            var now = T0.AddSeconds(i);
            status = i % 3 == 0 ? tracker.RecordSuccess(Ms50, now) : tracker.RecordFailure(now);
        }

        Assert.Equal(ProviderStatus.Unhealthy, status);
    }

    [Fact]
    public void Record_FewerThanMinSamples_SuccessRateRulesDoNotApply()
    {
        var tracker = Create(new ProviderHealthOptions { FailureThreshold = 5, RecoveryThreshold = 1, MinSamples = 10 });
        tracker.RecordFailure(T0);
        tracker.RecordFailure(T0.AddSeconds(1));

        var status = tracker.RecordSuccess(Ms50, T0.AddSeconds(2));

        // 1 of 3 succeeded, but with 3 < 10 samples only the consecutive rules count.
        Assert.Equal(ProviderStatus.Healthy, status);
    }

    [Fact]
    public void Snapshot_SamplesOlderThanWindow_Dropped()
    {
        var tracker = Create(new ProviderHealthOptions { Window = TimeSpan.FromSeconds(10) });
        tracker.RecordFailure(T0);
        tracker.RecordSuccess(Ms50, T0.AddSeconds(5));

        var early = tracker.Snapshot(T0.AddSeconds(6));
        var late = tracker.Snapshot(T0.AddSeconds(11));

        Assert.Equal(2, early.Samples);
        Assert.Equal(0.5, early.SuccessRate);
        Assert.Equal(1, late.Samples);
        Assert.Equal(1.0, late.SuccessRate);
    }

    [Fact]
    public void Snapshot_MoreThanMaxWindowSamples_KeepsNewest()
    {
        var tracker = Create(new ProviderHealthOptions { MaxWindowSamples = 5, FailureThreshold = 100, MinSamples = 100 });
        for (var i = 0; i < 5; i++)
        {
            tracker.RecordFailure(T0);
        }

        for (var i = 0; i < 5; i++)
        {
            tracker.RecordSuccess(Ms50, T0);
        }

        var snapshot = tracker.Snapshot(T0);
        Assert.Equal(5, snapshot.Samples);
        Assert.Equal(1.0, snapshot.SuccessRate);
    }

    [Fact]
    public void RecordSuccess_Latencies_ExponentialMovingAverage()
    {
        var tracker = Create(new ProviderHealthOptions { LatencySmoothing = 0.5 });

        tracker.RecordSuccess(TimeSpan.FromMilliseconds(100), T0);
        tracker.RecordSuccess(TimeSpan.FromMilliseconds(200), T0);
        tracker.RecordFailure(T0);

        Assert.Equal(150, tracker.Snapshot(T0).AverageLatency!.Value.TotalMilliseconds, 6);
    }

    [Fact]
    public void RecordSuccess_AverageAboveDegradedLatency_Degraded()
    {
        var tracker = Create(new ProviderHealthOptions { DegradedLatency = TimeSpan.FromSeconds(1), LatencySmoothing = 1 });
        tracker.RecordSuccess(Ms50, T0);

        var slow = tracker.RecordSuccess(TimeSpan.FromSeconds(3), T0.AddSeconds(1));
        tracker.RecordSuccess(Ms50, T0.AddSeconds(2));
        var fast = tracker.RecordSuccess(Ms50, T0.AddSeconds(3));

        Assert.Equal(ProviderStatus.Degraded, slow);
        Assert.Equal(ProviderStatus.Healthy, fast);
    }

    [Fact]
    public void RecordTimeToFirstToken_Value_InSnapshot()
    {
        var tracker = Create();

        tracker.RecordTimeToFirstToken(TimeSpan.FromMilliseconds(321));

        Assert.Equal(TimeSpan.FromMilliseconds(321), tracker.Snapshot(T0).LastTimeToFirstToken);
    }

    private static ProviderHealthTracker Unhealthy()
    {
        var tracker = Create();
        tracker.RecordSuccess(Ms50, T0);
        for (var i = 1; i <= 3; i++)
        {
            tracker.RecordFailure(T0.AddSeconds(i));
        }

        Assert.Equal(ProviderStatus.Unhealthy, tracker.Status);
        return tracker;
    }
}
