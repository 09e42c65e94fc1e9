using Microsoft.Extensions.Options;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Health;

namespace Migration.AspNetCore.Tests.Health;

public sealed class ProviderProbeServiceTests : IAsyncLifetime
{
    private FakeProvider _primary = null!;
    private FakeProvider _candidate = null!;

    public async Task InitializeAsync()
    {
        _primary = await FakeProvider.StartAsync();
        _candidate = await FakeProvider.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _primary.DisposeAsync();
        await _candidate.DisposeAsync();
    }

    [Fact]
    public async Task ProbeOnceAsync_BothAnswer_HealthyEachWithItsOwnBearerKey()
    {
        var (probe, monitor, owner) = Create();
        using var ownerScope = owner;
        using var probeScope = probe;

        await probe.ProbeOnceAsync(CancellationToken.None);

        Assert.Equal(ProviderStatus.Healthy, monitor.Primary.Status);
        Assert.Equal(ProviderStatus.Healthy, monitor.Candidate.Status);
        Assert.Equal("Bearer " + TestOptions.PrimaryKey, Assert.Single(_primary.Authorizations));
        Assert.Equal("Bearer " + TestOptions.CandidateKey, Assert.Single(_candidate.Authorizations));
        Assert.NotNull(monitor.Primary.Snapshot(TimeProvider.System.GetUtcNow()).AverageLatency);
    }

    [Fact]
    public async Task ProbeOnceAsync_Primary503ThreeTimes_UnhealthyAndFailedOver()
    {
        var (probe, monitor, owner) = Create();
        using var ownerScope = owner;
        using var probeScope = probe;
        _primary.Status = 503;

        for (var i = 0; i < 3; i++)
        {
            await probe.ProbeOnceAsync(CancellationToken.None);
        }

        var snapshot = monitor.Primary.Snapshot(TimeProvider.System.GetUtcNow());
        Assert.Equal(ProviderStatus.Unhealthy, snapshot.Status);
        Assert.Equal("probe: HTTP 503", snapshot.LastError);
        Assert.True(monitor.RouteToCandidate);
    }

    [Fact]
    public async Task ProbeOnceAsync_ProviderHangs_FailsAtTimeout()
    {
        var (probe, monitor, owner) = Create(configure: o => o.Timeout = TimeSpan.FromMilliseconds(500));
        using var ownerScope = owner;
        using var probeScope = probe;
        _candidate.Hang = true;

        await probe.ProbeOnceAsync(CancellationToken.None);

        var snapshot = monitor.Candidate.Snapshot(TimeProvider.System.GetUtcNow());
        Assert.Equal(1, snapshot.ConsecutiveFailures);
        Assert.Equal("probe: no answer within 500 ms", snapshot.LastError);
    }

    [Fact]
    public async Task ProbeOnceAsync_ConnectionRefused_Failure()
    {
        var (probe, monitor, owner) = Create(candidateUrl: "http://127.0.0.1:9/v1");
        using var ownerScope = owner;
        using var probeScope = probe;

        await probe.ProbeOnceAsync(CancellationToken.None);

        Assert.Equal(1, monitor.Candidate.Snapshot(TimeProvider.System.GetUtcNow()).ConsecutiveFailures);
        Assert.Equal(ProviderStatus.Healthy, monitor.Primary.Status);
    }

    [Fact]
    public async Task ProbeOnceAsync_NoPrimaryBaseUrl_OnlyCandidateProbed()
    {
        var (probe, monitor, owner) = Create(primaryUrl: null);
        using var ownerScope = owner;
        using var probeScope = probe;

        await probe.ProbeOnceAsync(CancellationToken.None);

        Assert.Empty(_primary.Authorizations);
        Assert.Equal(ProviderStatus.Unknown, monitor.Primary.Status);
        Assert.Equal(ProviderStatus.Healthy, monitor.Candidate.Status);
    }

    [Fact]
    public async Task ProbeOnceAsync_Probes_DurationHistogramPerProviderAndOutcome()
    {
        var (probe, _, owner, meters) = CreateWithMeters();
        using var ownerScope = owner;
        using var probeScope = probe;
        using var recorder = new MetricRecorder<double>(meters, "migration.provider.probe.duration");
        _primary.Status = 500;

        await probe.ProbeOnceAsync(CancellationToken.None);

        var measurements = recorder.Measurements.ToList();
        Assert.Equal(2, measurements.Count);
        Assert.Contains(measurements, m => (string?)m.Tags["provider"] == "openai" && (string?)m.Tags["outcome"] == "failure" && m.Value >= 0);
        Assert.Contains(measurements, m => (string?)m.Tags["provider"] == "holysheep" && (string?)m.Tags["outcome"] == "success");
    }

    [Fact]
    public async Task ProbeOnceAsync_StreamingProbeEnabled_RecordsTtftOncePerInterval()
    {
        var (probe, monitor, owner) = Create(configure: o =>
        {
            o.StreamingProbe.Enabled = true;
            o.StreamingProbe.Model = "gpt-4.1";
            o.StreamingProbe.Interval = TimeSpan.FromMinutes(5);
        });
        using var ownerScope = owner;
        using var probeScope = probe;

        await probe.ProbeOnceAsync(CancellationToken.None);
        await probe.ProbeOnceAsync(CancellationToken.None);

        Assert.Equal(["gpt-4.1"], _primary.ChatModels);
        Assert.Equal(["gpt-4.1-mapped"], _candidate.ChatModels);
        Assert.NotNull(monitor.Primary.Snapshot(TimeProvider.System.GetUtcNow()).LastTimeToFirstToken);
        Assert.NotNull(monitor.Candidate.Snapshot(TimeProvider.System.GetUtcNow()).LastTimeToFirstToken);
    }

    [Fact]
    public async Task ProbeOnceAsync_StreamingProbeOnReasoningModel_SkippedUnlessAllowed()
    {
        var (probe, _, owner) = Create(configure: o =>
        {
            o.StreamingProbe.Enabled = true;
            o.StreamingProbe.Model = "o3-mini";
        });
        using var ownerScope = owner;
        using var probeScope = probe;

        await probe.ProbeOnceAsync(CancellationToken.None);
        Assert.Empty(_primary.ChatModels);

        var (allowed, _, owner2) = Create(configure: o =>
        {
            o.StreamingProbe.Enabled = true;
            o.StreamingProbe.Model = "o3-mini";
            o.StreamingProbe.AllowReasoningModels = true;
        });
        using var owner2Scope = owner2;
        using var allowedScope = allowed;
        await allowed.ProbeOnceAsync(CancellationToken.None);
        Assert.Equal(["o3-mini"], _primary.ChatModels);
    }

    private (ProviderProbeService Probe, ProviderHealthMonitor Monitor, IDisposable Owner) Create(
        Action<HealthOptions>? configure = null, string? primaryUrl = "", string? candidateUrl = null)
    {
        var (probe, monitor, owner, _) = CreateWithMeters(configure, primaryUrl, candidateUrl);
        return (probe, monitor, owner);
    }

    private (ProviderProbeService Probe, ProviderHealthMonitor Monitor, IDisposable Owner, System.Diagnostics.Metrics.IMeterFactory Meters) CreateWithMeters(
        Action<HealthOptions>? configure = null, string? primaryUrl = "", string? candidateUrl = null)
    {
        var options = HealthTestKit.Options(configure);
        var harness = HealthTestKit.Harness(primaryUrl == "" ? _primary.BaseUrl : primaryUrl, candidateUrl ?? _candidate.BaseUrl);
        harness.Candidate.ModelMap["gpt-4.1"] = "gpt-4.1-mapped";
        var (monitor, metrics, meters, owner) = HealthTestKit.Monitor(TimeProvider.System, options, harness);
        var probe = new ProviderProbeService(monitor, metrics, Options.Create(options), Options.Create(harness), TimeProvider.System);
        return (probe, monitor, owner, meters);
    }
}
