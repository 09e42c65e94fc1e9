using Microsoft.Extensions.Logging.Abstractions;
using Migration.Core.Storage;
using Migration.Postgres.Canary;
using Migration.TestKit;
using Npgsql;

namespace Migration.Postgres.Tests.Canary;

public sealed class PostgresLeaderLeaseTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeClock _time = new(T0);
    private TestDatabase _db = null!;
    private PostgresLeaderLeaseFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("canary_lease");
        _factory = new PostgresLeaderLeaseFactory(_db.ConnectionString, _time, NullLoggerFactory.Instance);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task TryAcquireAsync_TwoInstances_ExactlyOneHolds()
    {
        await using var a = _factory.Create(ICanaryStateStore.DefaultMigration, "a");
        await using var b = _factory.Create(ICanaryStateStore.DefaultMigration, "b");

        var results = await Task.WhenAll(a.TryAcquireAsync(CancellationToken.None), b.TryAcquireAsync(CancellationToken.None));

        Assert.Single(results, r => r);
        Assert.NotEqual(a.IsHeld, b.IsHeld);
        var (leader, follower) = a.IsHeld ? (a, b) : (b, a);
        Assert.True(await leader.TryAcquireAsync(CancellationToken.None));
        Assert.False(await follower.TryAcquireAsync(CancellationToken.None));
        Assert.False(await follower.HeartbeatAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_OtherMigration_Independent()
    {
        await using var a = _factory.Create("one", "a");
        await using var b = _factory.Create("two", "b");

        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        Assert.True(await b.TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_Leader_OtherAcquires()
    {
        await using var a = _factory.Create(ICanaryStateStore.DefaultMigration, "a");
        await using var b = _factory.Create(ICanaryStateStore.DefaultMigration, "b");
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        Assert.False(await b.TryAcquireAsync(CancellationToken.None));

        await a.ReleaseAsync(CancellationToken.None);

        Assert.False(a.IsHeld);
        Assert.True(await b.TryAcquireAsync(CancellationToken.None));
        Assert.False(await a.TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_LeaderConnectionKilled_OtherAcquiresAndLeaderNoticesLoss()
    {
        await using var a = _factory.Create(ICanaryStateStore.DefaultMigration, "a");
        await using var b = _factory.Create(ICanaryStateStore.DefaultMigration, "b");
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));

        // The leader's session dies (as when its process or network goes): the server frees the lock with it.
        var killed = await _db.ScalarAsync<long>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'migration-leader-lease' AND datname = current_database()");
        Assert.Equal(1, killed);

        Assert.True(await b.TryAcquireAsync(CancellationToken.None));
        Assert.False(await a.HeartbeatAsync(CancellationToken.None));
        Assert.False(a.IsHeld);
        Assert.False(await a.TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_Leader_OtherAcquires()
    {
        var a = _factory.Create(ICanaryStateStore.DefaultMigration, "a");
        await using var b = _factory.Create(ICanaryStateStore.DefaultMigration, "b");
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));

        await a.DisposeAsync();

        Assert.True(await b.TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HeartbeatAsync_Held_WritesLeaderInstanceAndTime()
    {
        await using var store = PostgresCanaryStore.Create(_db.ConnectionString, _time);
        await using var a = _factory.Create(ICanaryStateStore.DefaultMigration, "host-a");
        Assert.False(await a.HeartbeatAsync(CancellationToken.None));
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(7));

        Assert.True(await a.HeartbeatAsync(CancellationToken.None));

        var state = await store.GetAsync(ICanaryStateStore.DefaultMigration, CancellationToken.None);
        Assert.Equal("host-a", state.LeaderInstance);
        Assert.Equal(T0.AddSeconds(7), state.LeaderHeartbeatAt);
    }

    [Fact]
    public async Task TryAcquireAsync_DatabaseUnreachable_FalseWithoutThrowing()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var lease = new PostgresLeaderLeaseFactory(unreachable, _time).Create(ICanaryStateStore.DefaultMigration, "a");

        Assert.False(await lease.TryAcquireAsync(CancellationToken.None));
        Assert.False(lease.IsHeld);
    }
}
