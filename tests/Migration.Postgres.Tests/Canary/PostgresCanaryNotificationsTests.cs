using System.Diagnostics;
using Migration.Core.Canary;
using Migration.Core.Storage;
using Migration.Migrations;
using Migration.Postgres.Canary;
using Migration.TestKit;
using Xunit.Abstractions;

namespace Migration.Postgres.Tests.Canary;

public sealed class PostgresCanaryNotificationsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CanaryPolicy _policy = new(new CanaryPolicyOptions());

    [Fact]
    public async Task ListenAsync_StateChanged_ReceivesNotification()
    {
        await using var db = await TestDatabase.CreateAsync("canary_notify");
        await using var store = PostgresCanaryStore.Create(db.ConnectionString, TimeProvider.System);
        var listener = new PostgresCanaryNotifications(db.ConnectionString, TimeProvider.System);
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var changes = listener.ListenAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal(new CanaryChange(CanaryChangeKind.Connected, null), await NextAsync(changes));

        var latencies = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            var outcome = await store.ApplyAsync(
                ICanaryStateStore.DefaultMigration,
                s => _policy.Apply(s, CanaryCommand.SetWeight(10 + i), DateTimeOffset.UnixEpoch.AddDays(1)),
                "test",
                CancellationToken.None);
            Assert.True(outcome.Changed);
            Assert.Equal(new CanaryChange(CanaryChangeKind.Changed, ICanaryStateStore.DefaultMigration), await NextAsync(changes));
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        await store.SetShadowAsync("other", true, null, "test", null, CancellationToken.None);
        Assert.Equal(new CanaryChange(CanaryChangeKind.Changed, "other"), await NextAsync(changes));
        output.WriteLine($"commit + NOTIFY -> listener latency (ms, includes the write): {string.Join(", ", latencies.Select(l => l.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public async Task ListenAsync_RejectedCommand_NoNotification()
    {
        await using var db = await TestDatabase.CreateAsync("canary_notify_none");
        await using var store = PostgresCanaryStore.Create(db.ConnectionString, TimeProvider.System);
        var listener = new PostgresCanaryNotifications(db.ConnectionString, TimeProvider.System);
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var changes = listener.ListenAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal(CanaryChangeKind.Connected, (await NextAsync(changes)).Kind);

        var rejected = await store.ApplyAsync(ICanaryStateStore.DefaultMigration, s => _policy.Apply(s, CanaryCommand.Resume(), DateTimeOffset.UnixEpoch), "test", CancellationToken.None);
        await store.SetShadowAsync("marker", false, null, "test", null, CancellationToken.None);

        // The only notification is the marker's: the rejected command sent none.
        Assert.True(rejected.Rejected);
        Assert.Equal(new CanaryChange(CanaryChangeKind.Changed, "marker"), await NextAsync(changes));
    }

    [Fact]
    public async Task ListenAsync_ServerRestarted_ReconnectsAndAnnouncesConnected()
    {
        await using var server = await TestDatabase.StartDedicatedServerAsync();
        var connectionString = await server.CreateDatabaseAsync("canary_restart");
        await MigrationDatabase.MigrateAsync(connectionString);
        var listener = new PostgresCanaryNotifications(connectionString, TimeProvider.System)
        {
            MinReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(250),
        };
        using var cts = new CancellationTokenSource(Patience * 3);
        await using var changes = listener.ListenAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal(CanaryChangeKind.Connected, (await NextAsync(changes)).Kind);

        await server.StopServerAsync();
        await server.StartServerAsync();

        Assert.Equal(new CanaryChange(CanaryChangeKind.Connected, null), await NextAsync(changes));
        await using var store = PostgresCanaryStore.Create(connectionString, TimeProvider.System);
        await store.SetShadowAsync(ICanaryStateStore.DefaultMigration, true, 0.5, "test", "after restart", CancellationToken.None);
        Assert.Equal(new CanaryChange(CanaryChangeKind.Changed, ICanaryStateStore.DefaultMigration), await NextAsync(changes));
    }

    [Fact]
    public async Task ListenAsync_Cancelled_EndsWithoutError()
    {
        await using var db = await TestDatabase.CreateAsync("canary_notify_cancel");
        var listener = new PostgresCanaryNotifications(db.ConnectionString, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var enumerator = listener.ListenAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.Equal(CanaryChangeKind.Connected, (await NextAsync(enumerator)).Kind);

        var next = enumerator.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Patience));
        await enumerator.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    private static async Task<CanaryChange> NextAsync(IAsyncEnumerator<CanaryChange> changes)
    {
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Patience), "the notification sequence ended");
        return changes.Current;
    }
}
