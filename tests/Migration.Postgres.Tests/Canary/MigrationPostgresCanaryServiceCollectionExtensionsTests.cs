using Microsoft.Extensions.DependencyInjection;
using Migration.Core.Canary;
using Migration.Core.Storage;
using Migration.TestKit;

namespace Migration.Postgres.Tests.Canary;

public sealed class MigrationPostgresCanaryServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddMigrationPostgresCanary_WithStorage_ResolvesWorkingServices()
    {
        await using var db = await TestDatabase.CreateAsync("canary_di");
        var time = new FakeClock(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).AddLogging();
        services.AddMigrationPostgres(db.ConnectionString).AddMigrationPostgresCanary();
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<ICanaryStateStore>();
        var outcome = await store.ApplyAsync(
            ICanaryStateStore.DefaultMigration,
            s => new CanaryPolicy(new CanaryPolicyOptions()).Apply(s, CanaryCommand.Start(), time.GetUtcNow()),
            "api",
            CancellationToken.None);
        await using var lease = provider.GetRequiredService<ILeaderLeaseFactory>().Create(ICanaryStateStore.DefaultMigration, "web-1");

        Assert.True(outcome.Changed);
        Assert.Same(store, provider.GetRequiredService<ICanaryStateStore>());
        Assert.NotNull(provider.GetRequiredService<ICanaryChangeNotifications>());
        Assert.True(await lease.TryAcquireAsync(CancellationToken.None));
        Assert.True(await lease.HeartbeatAsync(CancellationToken.None));
        Assert.Equal("web-1", (await store.GetAsync(ICanaryStateStore.DefaultMigration, CancellationToken.None)).LeaderInstance);
    }

    [Fact]
    public void AddMigrationPostgresCanary_WithoutStorage_SaysToCallAddMigrationPostgres()
    {
        using var provider = new ServiceCollection().AddMigrationPostgresCanary().BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ICanaryStateStore>());

        Assert.Contains("AddMigrationPostgres", ex.Message, StringComparison.Ordinal);
    }
}
