using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Health;
using Migration.Core.Health;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.Postgres;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Health;

/// <summary>The publisher against a real PostgreSQL canary store: what the monitor queues becomes <c>canary_events</c> rows.</summary>
public sealed class FailoverEventPublisherTests : IAsyncLifetime
{
    private static readonly TimeSpan Ms20 = TimeSpan.FromMilliseconds(20);
    private readonly FakeClock _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("health_events");
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .Configure<PostgresStorageOptions>(o => o.ConnectionString = _db.ConnectionString)
            .AddMigrationPostgresCanary()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_StatusChangesAndSwitch_RecordedInOrderWithKindsNumbersAndInstance()
    {
        var harness = HealthTestKit.Harness();
        harness.InstanceName = "web-7";
        var (monitor, _, _, owner) = HealthTestKit.Monitor(_time, harness: harness);
        using var ownerScope = owner;
        using var publisher = new FailoverEventPublisher(monitor, _services, Microsoft.Extensions.Options.Options.Create(HealthTestKit.Options()), _time);
        await publisher.StartAsync(CancellationToken.None);
        var store = _services.GetRequiredService<ICanaryStateStore>();

        monitor.RecordProbe(ProviderRole.Candidate, true, Ms20, null);
        monitor.RecordProbe(ProviderRole.Primary, true, Ms20, null);
        for (var i = 0; i < 3; i++)
        {
            monitor.RecordProbe(ProviderRole.Primary, false, Ms20, "HTTP 503");
        }

        IReadOnlyList<StoredEvent> events = [];
        await Eventually.UntilAsync("4 health events", async () =>
            (events = await store.GetActorEventsAsync(ICanaryStateStore.DefaultMigration, "health", null, 50, CancellationToken.None)).Count >= 4);
        Assert.Equal(4, events.Count);
        await publisher.StopAsync(CancellationToken.None);

        // Newest first: the switch, then the status change that caused it, ...
        var metrics = events.Select(e => HealthEventMetrics.Parse(e.MetricsJson)!).ToList();
        Assert.All(events, e => Assert.Equal("health", e.Actor));
        Assert.All(metrics, m => Assert.Equal("web-7", m.Instance));
        Assert.Equal(["failover", "status", "status", "status"], metrics.Select(m => m.Kind));
        Assert.Equal(HealthEventMetrics.ToCandidate, metrics[0].Direction);
        Assert.Equal("primary (openai): healthy -> unhealthy after 3 consecutive failures: HTTP 503", events[1].Reason);
        Assert.Equal(("primary", "healthy", "unhealthy"), (metrics[1].Role, metrics[1].From, metrics[1].To));
        Assert.False(metrics[1].FailoverActive);
        Assert.Equal(3, metrics[1].Primary!.ConsecutiveFailures);
        Assert.Equal("HTTP 503", metrics[1].Primary!.LastError);
        Assert.Equal("holysheep", metrics[1].Candidate!.Name);
        Assert.Equal("healthy", metrics[1].Candidate!.Status);
        Assert.Equal("candidate (holysheep): unknown -> healthy on its first successful call", events[3].Reason);
        Assert.Equal(4, publisher.Published);
        Assert.Equal(0, publisher.Alerted);

        // The report reads the same rows: failover active since the switch, the primary's last recorded status.
        var providers = ProvidersReport.From(events, since: null);
        Assert.True(providers.Failover!.Active);
        Assert.Equal("unhealthy", providers.Providers[0].Status);
        Assert.Equal((1, 3), (providers.Switches, providers.StatusChanges));
    }

    [Fact]
    public void MetricsJson_Switch_KeepsDirectionAndAddsKind()
    {
        var now = _time.GetUtcNow();
        var primary = new ProviderHealthSnapshot { Name = "openai", Status = ProviderStatus.Healthy, Since = now, ConsecutiveSuccesses = 2 };
        var candidate = new ProviderHealthSnapshot { Name = "holysheep", Status = ProviderStatus.Healthy, Since = now };

        var json = FailoverEventPublisher.MetricsJson(new FailoverSwitch(now, false, "failback", primary, candidate), "web-1");

        Assert.Contains("\"kind\":\"failback\"", json, StringComparison.Ordinal);
        Assert.Contains("\"direction\":\"to_primary\"", json, StringComparison.Ordinal);
        Assert.Contains("\"consecutiveSuccesses\":2", json, StringComparison.Ordinal);
        Assert.Contains("\"instance\":\"web-1\"", json, StringComparison.Ordinal);
    }
}
