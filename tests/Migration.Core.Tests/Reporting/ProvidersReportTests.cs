using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

public sealed class ProvidersReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_NoEvents_EmptyWithNote()
    {
        var report = ProvidersReport.From([], since: null);

        Assert.Null(report.AsOf);
        Assert.Empty(report.Providers);
        Assert.Null(report.Failover);
        Assert.Equal(ProvidersReport.NoEventsNote, report.Note);
        Assert.Equal(ProvidersReport.RecordedSource, report.Source);
        Assert.Equal(0, report.Switches);
        Assert.Equal(0, report.StatusChanges);
    }

    [Fact]
    public void From_UnreadableMetricsOnly_TreatedAsNoEvents()
    {
        var report = ProvidersReport.From([new StoredEvent(1, T0, "health", "x", "not json"), new StoredEvent(2, T0, "health", "y", null)], since: null);

        Assert.Null(report.AsOf);
        Assert.Equal(ProvidersReport.NoEventsNote, report.Note);
    }

    [Fact]
    public void From_StatusChanges_LastStatusPerProviderFromNewestEvent()
    {
        // Newest first: the primary went unhealthy after the candidate became healthy.
        StoredEvent[] events =
        [
            Status(3, T0.AddSeconds(20), "primary", "degraded", "unhealthy", Provider("openai", "unhealthy", T0.AddSeconds(20), failures: 3, error: "HTTP 503"), Provider("holysheep", "healthy", T0)),
            Status(2, T0.AddSeconds(10), "primary", "healthy", "degraded", Provider("openai", "degraded", T0.AddSeconds(10), failures: 1), Provider("holysheep", "healthy", T0)),
            Status(1, T0, "candidate", "unknown", "healthy", Provider("openai", "healthy", T0), Provider("holysheep", "healthy", T0)),
        ];

        var report = ProvidersReport.From(events, since: null);

        Assert.Equal(T0.AddSeconds(20), report.AsOf);
        Assert.Null(report.Note);
        Assert.Equal("web-1", report.Instance);
        Assert.Collection(
            report.Providers,
            p =>
            {
                Assert.Equal(new ProviderHealthReport("primary", "openai", "unhealthy", T0.AddSeconds(20), T0.AddSeconds(20), 3, 0.5, 120, "HTTP 503"), p);
            },
            c =>
            {
                Assert.Equal("candidate", c.Role);
                Assert.Equal("holysheep", c.Name);
                Assert.Equal("healthy", c.Status);
                Assert.Equal(T0, c.Since);
                Assert.Equal(T0.AddSeconds(20), c.RecordedAt);
            });
        Assert.Equal(3, report.StatusChanges);
        Assert.Equal(0, report.Switches);
        Assert.Equal(new FailoverReport(false, null, null), report.Failover);
    }

    [Fact]
    public void From_LastSwitchToCandidate_FailoverActiveSinceThatSwitch()
    {
        StoredEvent[] events =
        [
            Switch(2, T0.AddSeconds(30), toCandidate: true, "failover: primary openai unhealthy"),
            Status(1, T0.AddSeconds(29), "primary", "degraded", "unhealthy", Provider("openai", "unhealthy", T0), Provider("holysheep", "healthy", T0)),
        ];

        var report = ProvidersReport.From(events, since: null);

        Assert.Equal(new FailoverReport(true, T0.AddSeconds(30), "failover: primary openai unhealthy"), report.Failover);
        Assert.Equal(1, report.Switches);
        Assert.Equal(1, report.StatusChanges);
    }

    [Fact]
    public void From_FailbackAfterFailover_FailoverInactive()
    {
        StoredEvent[] events =
        [
            Switch(3, T0.AddSeconds(60), toCandidate: false, "failback: primary openai healthy for 30 s"),
            Switch(1, T0.AddSeconds(30), toCandidate: true, "failover"),
        ];

        var report = ProvidersReport.From(events, since: null);

        Assert.Equal(new FailoverReport(false, T0.AddSeconds(60), "failback: primary openai healthy for 30 s"), report.Failover);
        Assert.Equal(2, report.Switches);
    }

    [Fact]
    public void From_StatusChangeAfterSwitch_RouteCarriedByTheStatusEvent()
    {
        var status = new HealthEventMetrics
        {
            Kind = HealthEventMetrics.StatusKind,
            Role = "candidate",
            From = "healthy",
            To = "degraded",
            FailoverActive = true,
            FailoverSince = T0.AddSeconds(30),
            FailoverReason = "failover: primary openai unhealthy",
            Primary = Provider("openai", "unhealthy", T0),
            Candidate = Provider("holysheep", "degraded", T0.AddSeconds(40)),
        };
        StoredEvent[] events = [new(5, T0.AddSeconds(40), "health", "candidate (holysheep): healthy -> degraded", status.ToJson())];

        var report = ProvidersReport.From(events, since: null);

        Assert.Equal(new FailoverReport(true, T0.AddSeconds(30), "failover: primary openai unhealthy"), report.Failover);
    }

    [Fact]
    public void From_SwitchRecordedBeforeKinds_StillASwitch()
    {
        // Rows written before 'kind' existed carry only 'direction'.
        StoredEvent[] events = [new(1, T0, "health", "failover: old row", """{"direction":"to_candidate","primary":{"name":"openai","status":"unhealthy"}}""")];

        var report = ProvidersReport.From(events, since: null);

        Assert.Equal(1, report.Switches);
        Assert.True(report.Failover!.Active);
        Assert.Equal("openai", Assert.Single(report.Providers).Name);
    }

    [Fact]
    public void From_Window_CountsOnlyEventsInsideButStateFromAll()
    {
        StoredEvent[] events =
        [
            Status(4, T0.AddMinutes(50), "candidate", "healthy", "degraded", Provider("openai", "healthy", T0), Provider("holysheep", "degraded", T0.AddMinutes(50))),
            Switch(3, T0.AddMinutes(40), toCandidate: false, "failback"),
            Switch(2, T0.AddMinutes(10), toCandidate: true, "failover"),
            Status(1, T0.AddMinutes(9), "primary", "healthy", "unhealthy", Provider("openai", "unhealthy", T0), Provider("holysheep", "healthy", T0)),
        ];

        var inside = ProvidersReport.From(events, since: T0.AddMinutes(30));
        var before = ProvidersReport.From(events, since: T0.AddMinutes(60));
        var all = ProvidersReport.From(events, since: null);

        Assert.Equal((1, 1), (inside.Switches, inside.StatusChanges));
        Assert.Equal((0, 0), (before.Switches, before.StatusChanges));
        Assert.Equal((2, 2), (all.Switches, all.StatusChanges));
        Assert.Equal("degraded", before.Providers[1].Status);
        Assert.Equal(T0.AddMinutes(50), before.AsOf);
    }

    [Fact]
    public void From_Truncated_Flagged()
    {
        var report = ProvidersReport.From([Switch(1, T0, toCandidate: true, "failover")], since: null, truncated: true);

        Assert.True(report.Truncated);
    }

    [Fact]
    public void HealthEventMetrics_RoundTrip_CamelCaseWithoutNulls()
    {
        var metrics = new HealthEventMetrics { Kind = HealthEventMetrics.StatusKind, Role = "primary", Primary = Provider("openai", "healthy", T0) };

        var json = metrics.ToJson();

        Assert.Contains("\"kind\":\"status\"", json, StringComparison.Ordinal);
        Assert.Contains("\"consecutiveFailures\":0", json, StringComparison.Ordinal);
        Assert.DoesNotContain("direction", json, StringComparison.Ordinal);
        Assert.Equal(metrics, HealthEventMetrics.Parse(json));
    }

    private static HealthEventProvider Provider(string name, string status, DateTimeOffset since, int failures = 0, string? error = null) => new()
    {
        Name = name,
        Status = status,
        Since = since,
        ConsecutiveFailures = failures,
        Samples = 10,
        SuccessRate = 0.5,
        AverageLatencyMs = 120,
        LastError = error,
    };

    private static StoredEvent Status(long id, DateTimeOffset time, string role, string from, string to, HealthEventProvider primary, HealthEventProvider candidate) =>
        new(id, time, "health", $"{role}: {from} -> {to}", new HealthEventMetrics
        {
            Kind = HealthEventMetrics.StatusKind,
            Role = role,
            From = from,
            To = to,
            Instance = "web-1",
            FailoverActive = false,
            Primary = primary,
            Candidate = candidate,
        }.ToJson());

    private static StoredEvent Switch(long id, DateTimeOffset time, bool toCandidate, string reason) =>
        new(id, time, "health", reason, new HealthEventMetrics
        {
            Kind = toCandidate ? HealthEventMetrics.FailoverKind : HealthEventMetrics.FailbackKind,
            Direction = toCandidate ? HealthEventMetrics.ToCandidate : HealthEventMetrics.ToPrimary,
            Instance = "web-1",
            Primary = Provider("openai", toCandidate ? "unhealthy" : "healthy", time),
            Candidate = Provider("holysheep", "healthy", T0),
        }.ToJson());
}
