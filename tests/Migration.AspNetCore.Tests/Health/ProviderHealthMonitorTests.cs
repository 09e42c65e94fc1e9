using Migration.AspNetCore.Health;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Health;

public sealed class ProviderHealthMonitorTests
{
    private static readonly TimeSpan Ms20 = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void Report_LiveFailuresReachMinSamplesCandidateHealthy_RoutesToCandidateAndQueuesOneSwitch()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        ErrorClass[] failures = [ErrorClass.ServerError, ErrorClass.Timeout, ErrorClass.Connection];

        // Live failures in a row are not "consecutive failures": only the window's rate over MinSamples counts.
        for (var i = 0; i < 19; i++)
        {
            monitor.Report(ProviderRole.Primary, failures[i % 3], Ms20);
        }

        Assert.False(monitor.RouteToCandidate);
        Assert.Equal(0, monitor.Primary.Snapshot(time.GetUtcNow()).ConsecutiveFailures);
        monitor.Report(ProviderRole.Primary, ErrorClass.Connection, Ms20);

        Assert.True(monitor.RouteToCandidate);
        var change = Assert.Single(Drain(monitor).OfType<FailoverSwitch>());
        Assert.True(change.ToCandidate);
        Assert.Equal(ProviderStatus.Unhealthy, change.Primary.Status);
        Assert.Contains("success rate 0.00 over 20 samples", change.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OnePercentRandom5xxAtAThousandPerSecond_NoFailoverInTenSimulatedMinutes()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time, new HealthOptions());
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        var random = new Random(16);
        var worst = ProviderStatus.Healthy;
        var failures = 0;

        // 1,000 req/s for 10 minutes (1 ms apart on the fake clock), 1 % of them a provider 5xx; a probe each second.
        for (var ms = 0; ms < 600_000; ms++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            var failed = random.NextDouble() < 0.01;
            failures += failed ? 1 : 0;
            monitor.Report(ProviderRole.Primary, failed ? ErrorClass.ServerError : ErrorClass.None, Ms20);
            if (ms % 1000 == 0)
            {
                monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
            }

            worst = monitor.Primary.Status == ProviderStatus.Unhealthy ? ProviderStatus.Unhealthy : worst;
        }

        Assert.InRange(failures, 5_000, 7_000);
        Assert.Equal(ProviderStatus.Healthy, worst);
        Assert.False(monitor.RouteToCandidate);
        Assert.Empty(Drain(monitor).OfType<FailoverSwitch>());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(200)]
    [InlineData(20)]
    public void Report_ProviderOutageUnderLiveTraffic_FailedOverWithinFiveSeconds(int perSecond)
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time, new HealthOptions());
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        var step = TimeSpan.FromSeconds(1.0 / perSecond);
        for (var i = 0; i < perSecond * 30; i++)
        {
            time.Advance(step);
            monitor.Report(ProviderRole.Primary, ErrorClass.None, Ms20);
        }

        // The outage: every call fails (no probe runs meanwhile: the live calls are the evidence).
        var outage = time.GetUtcNow();
        while (!monitor.RouteToCandidate && time.GetUtcNow() - outage < TimeSpan.FromSeconds(30))
        {
            time.Advance(step);
            monitor.Report(ProviderRole.Primary, ErrorClass.ServerError, Ms20);
        }

        Assert.True(monitor.RouteToCandidate);
        Assert.InRange((time.GetUtcNow() - outage).TotalSeconds, 0, 5);
    }

    [Fact]
    public void Evaluate_StatusChanges_QueuedOnceEachInOrderBeforeTheSwitch()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;

        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        for (var i = 0; i < 3; i++)
        {
            monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "HTTP 503");
        }

        var events = Drain(monitor);

        // healthy -> degraded on the first failure is within the minimum interval of the last recorded change:
        // not queued; the move to unhealthy is, from the last queued status.
        Assert.Collection(
            events,
            e => Assert.Equal("candidate (holysheep): unknown -> healthy on its first successful call", e.Reason),
            e => Assert.Equal("primary (openai): unknown -> healthy on its first successful call", e.Reason),
            e =>
            {
                var status = Assert.IsType<ProviderStatusChange>(e);
                Assert.Equal("primary (openai): healthy -> unhealthy after 3 consecutive failures: HTTP 503", status.Reason);
                Assert.Equal(ProviderRole.Primary, status.Role);
                Assert.Equal(ProviderStatus.Healthy, status.From);
                Assert.Equal(ProviderStatus.Unhealthy, status.To);
                Assert.False(status.Route.RouteToCandidate);
            },
            e => Assert.True(Assert.IsType<FailoverSwitch>(e).ToCandidate));
        Assert.Equal(0, monitor.DroppedEvents);
    }

    [Fact]
    public void Evaluate_HealthyDegradedBlips_QueuedAtMostOncePerIntervalAndOnlyIfTheyHold()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        Drain(monitor);

        // A blip that recovers within the interval: nothing recorded (the recorded state, healthy, is right again).
        monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "blip");
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        Assert.Empty(Drain(monitor));

        // A degradation that holds: queued by the first evaluation after the interval.
        monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "blip");
        Assert.Empty(Drain(monitor));
        time.Advance(monitor.StatusEventMinInterval);
        monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "blip 2");

        var change = Assert.IsType<ProviderStatusChange>(Assert.Single(Drain(monitor)));
        Assert.Equal((ProviderStatus.Healthy, ProviderStatus.Degraded), (change.From, change.To));
        Assert.Equal("primary (openai): healthy -> degraded after 2 consecutive failures: blip 2", change.Reason);
    }

    [Fact]
    public void Evaluate_StatusEventMinIntervalZero_EveryHealthyDegradedChangeQueued()
    {
        var time = new FakeClock();
        var options = HealthTestKit.Options();
        options.StatusEventMinInterval = TimeSpan.Zero;
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time, options);
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        Drain(monitor);

        monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "blip");
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);

        Assert.Equal(
            [(ProviderStatus.Healthy, ProviderStatus.Degraded), (ProviderStatus.Degraded, ProviderStatus.Healthy)],
            Drain(monitor).Cast<ProviderStatusChange>().Select(c => (c.From, c.To)));
    }

    [Fact]
    public void Evaluate_QueueFull_DropsOldestAndCounts()
    {
        var time = new FakeClock();
        var (monitor, _, meters, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;
        using var dropped = new MetricRecorder<long>(meters, "migration.health.events.dropped");

        // Three failures then two successes is healthy -> unhealthy -> healthy (queued at once: Unhealthy is
        // involved): two status changes per round, never read. The candidate stays unknown, so no switch.
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        for (var i = 0; i < ProviderHealthMonitor.EventQueueCapacity; i++)
        {
            for (var f = 0; f < 3; f++)
            {
                monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "down");
            }

            monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
            monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        }

        var queued = Drain(monitor);
        Assert.Equal(ProviderHealthMonitor.EventQueueCapacity, queued.Count);
        Assert.Equal((2 * ProviderHealthMonitor.EventQueueCapacity) + 1 - ProviderHealthMonitor.EventQueueCapacity, monitor.DroppedEvents);
        Assert.Equal(monitor.DroppedEvents, Assert.Single(dropped.Observe()).Value);
        Assert.Equal("primary (openai): unhealthy -> healthy after 2 consecutive successes", queued[^1].Reason);
    }

    [Theory]
    [InlineData(ProviderStatus.Healthy, 4, 1.0, null, "candidate (holysheep): degraded -> healthy after 4 consecutive successes")]
    [InlineData(ProviderStatus.Unhealthy, 0, 0.3, "HTTP 500", "candidate (holysheep): degraded -> unhealthy (success rate 30 % over 20 samples): HTTP 500")]
    [InlineData(ProviderStatus.Degraded, 0, 0.8, null, "candidate (holysheep): degraded -> degraded (success rate 80 % over 20 samples)")]
    public void DescribeChange_Status_NamesTheNumbers(ProviderStatus to, int successes, double? rate, string? error, string expected)
    {
        var snapshot = new ProviderHealthSnapshot
        {
            Name = "holysheep",
            Status = to,
            Since = DateTimeOffset.UnixEpoch,
            ConsecutiveSuccesses = successes,
            Samples = 20,
            SuccessRate = rate,
            LastError = error,
        };

        Assert.Equal(expected, ProviderHealthMonitor.DescribeChange(ProviderRole.Candidate, ProviderStatus.Degraded, snapshot, new ProviderHealthOptions()));
    }

    private static List<HealthChange> Drain(ProviderHealthMonitor monitor)
    {
        var events = new List<HealthChange>();
        while (monitor.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public void Report_ClientErrorsFallbacksAndRateLimits_NotHeldAgainstProvider()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;

        for (var i = 0; i < 30; i++)
        {
            monitor.Report(ProviderRole.Primary, ErrorClass.ClientError, Ms20);
            monitor.Report(ProviderRole.Primary, ErrorClass.Fallback, Ms20);
            monitor.Report(ProviderRole.Primary, ErrorClass.RateLimited, Ms20);
        }

        Assert.Equal(ProviderStatus.Unknown, monitor.Primary.Status);
        Assert.Equal(0, monitor.Primary.Snapshot(time.GetUtcNow()).Samples);
    }

    [Fact]
    public void Evaluate_PrimaryBackHealthyForCooldown_FailsBackAfterCooldownOnly()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        for (var i = 0; i < 3; i++)
        {
            monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "HTTP 503");
        }

        Assert.True(monitor.RouteToCandidate);

        time.Advance(TimeSpan.FromSeconds(5));
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        Assert.Equal(ProviderStatus.Healthy, monitor.Primary.Status);

        time.Advance(TimeSpan.FromSeconds(29));
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        Assert.True(monitor.RouteToCandidate);

        time.Advance(TimeSpan.FromSeconds(1));
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        Assert.False(monitor.RouteToCandidate);
        Assert.Equal(time.GetUtcNow(), monitor.State.LastSwitchAt);
    }

    [Fact]
    public void Report_LiveSuccessesOnly_FailsBackOnceTheCooldownIsOverWithoutAProbe()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        for (var i = 0; i < 20; i++)
        {
            monitor.Report(ProviderRole.Primary, ErrorClass.ServerError, Ms20);
        }

        Assert.True(monitor.RouteToCandidate);
        monitor.Report(ProviderRole.Primary, ErrorClass.None, Ms20);
        monitor.Report(ProviderRole.Primary, ErrorClass.None, Ms20);
        Assert.Equal(ProviderStatus.Healthy, monitor.Primary.Status);

        // No status change any more: the policy still runs at most once a second of live signals, so the
        // time-based failback does not wait for a probe.
        time.Advance(TimeSpan.FromSeconds(29));
        monitor.Report(ProviderRole.Primary, ErrorClass.None, Ms20);
        Assert.True(monitor.RouteToCandidate);
        time.Advance(TimeSpan.FromSeconds(1));
        monitor.Report(ProviderRole.Primary, ErrorClass.None, Ms20);

        Assert.False(monitor.RouteToCandidate);
    }

    [Fact]
    public void Report_FailoverDisabled_NeverRoutesToCandidate()
    {
        var time = new FakeClock();
        var (monitor, _, _, owner) = HealthTestKit.Monitor(time, HealthTestKit.Options(o => o.Failover.Enabled = false));
        using var ownerScope = owner;
        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);

        for (var i = 0; i < 20; i++)
        {
            monitor.Report(ProviderRole.Primary, ErrorClass.ServerError, Ms20);
        }

        Assert.False(monitor.RouteToCandidate);
        Assert.Contains("disabled", monitor.LastReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_StatusGaugeAndSwitchCounter_Observed()
    {
        var time = new FakeClock();
        var (monitor, _, meters, owner) = HealthTestKit.Monitor(time);
        using var ownerScope = owner;
        using var status = new MetricRecorder<int>(meters, "migration.provider.status");
        using var active = new MetricRecorder<int>(meters, "migration.failover.active");
        using var switches = new MetricRecorder<long>(meters, "migration.failover.switches");

        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        for (var i = 0; i < 3; i++)
        {
            monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "HTTP 503");
        }

        var gauges = status.Observe();
        Assert.Contains(gauges, m => m.Value == 0 && (string?)m.Tags["provider"] == "openai" && (string?)m.Tags["role"] == "primary");
        Assert.Contains(gauges, m => m.Value == 2 && (string?)m.Tags["provider"] == "holysheep" && (string?)m.Tags["role"] == "candidate");
        Assert.Equal(1, Assert.Single(active.Observe()).Value);
        var counted = Assert.Single(switches.Measurements);
        Assert.Equal(1, counted.Value);
        Assert.Equal("to_candidate", counted.Tags["direction"]);
    }
}
