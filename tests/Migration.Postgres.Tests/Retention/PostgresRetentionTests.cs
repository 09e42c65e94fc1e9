using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.Postgres.Entities;
using Migration.Postgres.Retention;
using Migration.Postgres.Storage;
using Migration.Postgres.Tests.Storage;
using Migration.TestKit;

namespace Migration.Postgres.Tests.Retention;

public sealed class PostgresRetentionTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DeleteOlderThanAsync_MixedAges_DeletesOnlyOldShadowBucketAndAttemptRows()
    {
        await using var db = await TestDatabase.CreateAsync("retention");
        await SeedAsync(db);
        var retention = new PostgresRetention(new MigrationDataSource(db.ConnectionString));

        var result = await retention.DeleteOlderThanAsync(Now.AddDays(-14), CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal((2L, 1L, 2L), (result.ShadowResultsDeleted, result.TrafficBucketsDeleted, result.CandidateAttemptsDeleted));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        Assert.Equal("req-3", await db.ScalarAsync<string>("SELECT string_agg(request_id, ',') FROM candidate_attempts"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM canary_events"));
    }

    [Fact]
    public async Task RetentionHostedService_Started_DeletesRowsOlderThanRetentionDaysByTheClock()
    {
        await using var db = await TestDatabase.CreateAsync("retention_job");
        await SeedAsync(db);
        var time = new FakeClock(Now);
        var options = new PostgresStorageOptions { ConnectionString = db.ConnectionString, RetentionDays = 14 };
        using var service = new RetentionHostedService(
            new PostgresRetention(new MigrationDataSource(db.ConnectionString)), Options.Create(options), time, NullLogger<RetentionHostedService>.Instance);

        await service.StartAsync(CancellationToken.None);
        // candidate_attempts is deleted last: once it is done, the whole run is.
        await Records.EventuallyAsync(() => Count(db, "shadow_results") == 1 && Count(db, "candidate_attempts") == 1, "the run at start deleted rows older than 14 days");
        var bucketsAfterFirstRun = await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets");
        var attemptsAfterFirstRun = await db.ScalarAsync<long>("SELECT count(*) FROM candidate_attempts");
        time.Advance(TimeSpan.FromDays(14));
        await Records.EventuallyAsync(() => Count(db, "shadow_results") == 0 && Count(db, "candidate_attempts") == 0, "the recent rows aged out");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal((1L, 1L), (bucketsAfterFirstRun, attemptsAfterFirstRun));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM candidate_attempts"));
    }

    [Fact]
    public async Task DeleteOlderThanAsync_MoreRowsThanABatch_DeletesThemAllInBatchesOfAtMostBatchSize()
    {
        await using var db = await TestDatabase.CreateAsync("retention_batches");
        var writer = PostgresRecordWriterTests.CreateWriter(db.ConnectionString);
        for (var i = 0; i < 25; i++)
        {
            writer.TryWrite(Records.Shadow(i) with { Time = Now.AddDays(-20).AddSeconds(i) });
        }

        writer.TryWrite(Records.Shadow(100) with { Time = Now });
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        var retention = new PostgresRetention(new MigrationDataSource(db.ConnectionString)) { BatchSize = 10 };

        var result = await retention.DeleteOlderThanAsync(Now.AddDays(-14), CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(25, result.ShadowResultsDeleted);
        Assert.Equal(3 + 1 + 1, result.Batches); // 10 + 10 + 5 shadow rows, then one empty batch per other table
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
    }

    [Fact]
    public async Task DeleteOlderThanAsync_AnotherRunnerHoldsTheLock_SkipsAndDeletesNothing()
    {
        await using var db = await TestDatabase.CreateAsync("retention_lock");
        await SeedAsync(db);
        var retention = new PostgresRetention(new MigrationDataSource(db.ConnectionString));
        await using var other = await db.OpenConnectionAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({PostgresRetention.LockClass}, {PostgresRetention.LockObject})", other))
        {
            await take.ExecuteScalarAsync();
        }

        var skipped = await retention.DeleteOlderThanAsync(Now.AddDays(-14), CancellationToken.None);

        Assert.Null(skipped);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresRetention.LockClass}, {PostgresRetention.LockObject})", other))
        {
            await release.ExecuteScalarAsync();
        }

        Assert.NotNull(await retention.DeleteOlderThanAsync(Now.AddDays(-14), CancellationToken.None));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
    }

    [Fact]
    public async Task RetentionHostedService_NotTheMaintenanceLeader_DeletesNothing()
    {
        await using var db = await TestDatabase.CreateAsync("retention_follower");
        await SeedAsync(db);
        var leadership = new Leadership();
        var options = new PostgresStorageOptions { ConnectionString = db.ConnectionString, RetentionDays = 14 };
        using var service = new RetentionHostedService(
            new PostgresRetention(new MigrationDataSource(db.ConnectionString)), Options.Create(options), new FakeClock(Now), NullLogger<RetentionHostedService>.Instance, leadership);

        Assert.Null(await service.RunOnceAsync(14, CancellationToken.None));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));

        leadership.ShouldRunMaintenance = true;
        Assert.NotNull(await service.RunOnceAsync(14, CancellationToken.None));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
    }

    private sealed class Leadership : Migration.Core.Storage.IMaintenanceLeadership
    {
        public bool ShouldRunMaintenance { get; set; }
    }

    private static long Count(TestDatabase db, string table) => db.ScalarAsync<long>($"SELECT count(*) FROM {table}").GetAwaiter().GetResult();

    private static async Task SeedAsync(TestDatabase db)
    {
        var writer = PostgresRecordWriterTests.CreateWriter(db.ConnectionString);
        writer.TryWrite(Records.Shadow(1) with { Time = Now.AddDays(-30) });
        writer.TryWrite(Records.Shadow(2) with { Time = Now.AddDays(-15) });
        writer.TryWrite(Records.Shadow(3) with { Time = Now.AddDays(-1) });
        writer.TryWrite(Records.Bucket(1) with { Second = Now.AddDays(-20) });
        writer.TryWrite(Records.Bucket(2) with { Second = Now.AddDays(-2) });
        writer.TryWrite(Records.Attempt(1) with { Time = Now.AddDays(-20) });
        writer.TryWrite(Records.Attempt(2) with { Time = Now.AddDays(-14).AddTicks(-10) });
        writer.TryWrite(Records.Attempt(3) with { Time = Now.AddDays(-14).AddSeconds(1) });
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        await using var context = db.CreateDbContext();
        context.CanaryEvents.Add(new CanaryEventRow { Time = Now.AddDays(-100), FromState = "idle", ToState = "shadow", Actor = "test", Reason = "audit" });
        await context.SaveChangesAsync();
    }
}
