using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Canary;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests.Telemetry;

/// <summary>The instruments of meter <c>Migration.Harness</c>, observed with a <see cref="MeterListener"/>.</summary>
public sealed class HarnessMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ShadowQueue _queue = new(Options.Create(new MigrationHarnessOptions()));
    private readonly CanaryStateCache _cache = new();
    private readonly StatsSink _sink = new();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void CanaryWeight_IsTheWeightThisInstanceRoutesBy()
    {
        using var weight = new MetricRecorder<double>(Meters, "migration.canary.weight");
        _ = new HarnessMetrics(Meters, _queue, _cache, _sink);

        Assert.Equal(0, Assert.Single(weight.Observe()).Value);
        Assert.True(_cache.Update(new CanaryStoreState { Migration = "default", State = CanaryState.Initial with { Phase = CanaryPhase.Ramping, Weight = 25, Version = 2 } }, DateTimeOffset.UnixEpoch));
        Assert.Equal(25, Assert.Single(weight.Observe()).Value);
    }

    [Fact]
    public void RecorderPendingAndDroppedByReason_FollowTheSinksCounts()
    {
        using var pending = new MetricRecorder<long>(Meters, "migration.recorder.pending");
        using var dropped = new MetricRecorder<long>(Meters, "migration.recorder.dropped");
        _ = new HarnessMetrics(Meters, _queue, _cache, _sink);

        _sink.Stats = new RecordSinkStats(Produced: 20, Written: 10, Dropped: 10, Pending: 7, Failures: 1);
        _sink.Drops = new RecordSinkDrops(BufferFull: 1, Rejected: 2, SchemaMissing: 3, Stopped: 4);

        Assert.Equal(7, Assert.Single(pending.Observe()).Value);
        Assert.Equal(
            ["buffer_full=1", "rejected=2", "schema_missing=3", "stopped=4"],
            dropped.Observe().Select(m => $"{m.Tags["reason"]}={m.Value}"));
    }

    [Fact]
    public void RequestsQueueDepthAndVerdicts_RecordedWithTheirTags()
    {
        using var requests = new MetricRecorder<long>(Meters, "migration.requests");
        using var depth = new MetricRecorder<int>(Meters, "migration.shadow.queue.depth");
        using var verdicts = new MetricRecorder<long>(Meters, "migration.shadow.verdicts");
        var metrics = new HarnessMetrics(Meters, _queue, _cache, _sink);

        metrics.RequestFinished(TrafficArm.Canary, ErrorClass.Fallback, TimeSpan.FromMilliseconds(5), "canary");
        metrics.RequestFinished(TrafficArm.Primary, ErrorClass.None, TimeSpan.FromMilliseconds(5));
        metrics.ShadowCompared(Verdict.Similar, TimeSpan.FromMilliseconds(9));

        Assert.Equal(
            ["canary/fallback/canary", "primary/success/"],
            requests.Measurements.Select(m => $"{m.Tags["arm"]}/{m.Tags["outcome"]}/{(m.Tags.TryGetValue("reason", out var r) ? r : string.Empty)}"));
        Assert.Equal(0, Assert.Single(depth.Observe()).Value);
        Assert.Equal("similar", Assert.Single(verdicts.Measurements).Tags["verdict"]);
    }

    private sealed class StatsSink : IRecordSink
    {
        public RecordSinkStats Stats { get; set; }

        public RecordSinkDrops Drops { get; set; }

        public bool TryWrite(ShadowResult result) => false;

        public bool TryWrite(TrafficBucket bucket) => false;
    }
}
