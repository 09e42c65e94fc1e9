using System.Diagnostics.Metrics;
using Migration.AspNetCore.Telemetry;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Health instruments of the meter <c>Migration.Harness</c>: <c>migration.provider.status</c> (gauge per provider:
/// 2 healthy, 1 degraded, 0 unhealthy, -1 unknown), <c>migration.failover.active</c> (gauge, 1 while failed over),
/// <c>migration.failover.switches</c> (counter, tag <c>direction</c> = to_candidate | to_primary),
/// <c>migration.provider.probe.duration</c> (histogram, s, tags <c>provider</c>, <c>role</c>, <c>outcome</c>) and
/// <c>migration.health.events.dropped</c> (observable counter: health events not recorded because the queue to the
/// publisher was full).
/// </summary>
internal sealed class HealthMetrics
{
    private readonly Counter<long> _switches;
    private readonly Histogram<double> _probeDuration;
    private ProviderHealthMonitor? _monitor;

    public HealthMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(HarnessMetrics.MeterName);
        meter.CreateObservableGauge("migration.provider.status", ObserveStatus, "{status}", "Provider health: 2 healthy, 1 degraded, 0 unhealthy, -1 unknown.");
        meter.CreateObservableGauge("migration.failover.active", ObserveFailover, "{state}", "1 while primary-arm traffic is failed over to the candidate.");
        _switches = meter.CreateCounter<long>("migration.failover.switches", "{switch}", "Automatic route switches between primary and candidate.");
        _probeDuration = meter.CreateHistogram<double>("migration.provider.probe.duration", "s", "Duration of provider health probes.");
        meter.CreateObservableCounter(
            "migration.health.events.dropped", () => _monitor?.DroppedEvents ?? 0L, "{event}", "Health events (status changes, switches) dropped because the queue to the event publisher was full.");
    }

    /// <summary>Connects the gauges to the monitor they observe.</summary>
    public void Attach(ProviderHealthMonitor monitor) => _monitor = monitor;

    public void Switched(bool toCandidate)
    {
        if (_switches.Enabled)
        {
            _switches.Add(1, new KeyValuePair<string, object?>("direction", toCandidate ? "to_candidate" : "to_primary"));
        }
    }

    public void Probed(ProviderRole role, string provider, bool success, TimeSpan duration)
    {
        if (_probeDuration.Enabled)
        {
            _probeDuration.Record(
                duration.TotalSeconds,
                new KeyValuePair<string, object?>("provider", provider),
                new KeyValuePair<string, object?>("role", HealthNames.Role(role)),
                new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
        }
    }

    private IEnumerable<Measurement<int>> ObserveStatus()
    {
        if (_monitor is not { } monitor)
        {
            return [];
        }

        var (primary, candidate) = monitor.Snapshots();
        return
        [
            new Measurement<int>(HealthNames.GaugeValue(primary.Status), new KeyValuePair<string, object?>("provider", primary.Name), new KeyValuePair<string, object?>("role", "primary")),
            new Measurement<int>(HealthNames.GaugeValue(candidate.Status), new KeyValuePair<string, object?>("provider", candidate.Name), new KeyValuePair<string, object?>("role", "candidate")),
        ];
    }

    private int ObserveFailover() => _monitor?.RouteToCandidate == true ? 1 : 0;
}
