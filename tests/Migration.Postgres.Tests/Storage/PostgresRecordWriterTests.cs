using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;
using Migration.Migrations;
using Migration.Postgres.Storage;
using Migration.TestKit;

namespace Migration.Postgres.Tests.Storage;

public sealed class PostgresRecordWriterTests
{
    [Fact]
    public async Task TryWrite_EveryField_LandsInEveryColumn()
    {
        await using var db = await TestDatabase.CreateAsync("writer_columns");
        var latency = new LatencyHistogram();
        latency.RecordMicroseconds(1_500, 3);
        var ttft = new LatencyHistogram();
        ttft.RecordMicroseconds(300);
        var result = new ShadowResult
        {
            Time = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)),
            RequestId = "req-1",
            Route = "/v1/chat/completions",
            PrimaryModel = "gpt-4.1",
            CandidateModel = "gpt-4.1-hs",
            Streamed = true,
            PrimaryStatus = 200,
            CandidateStatus = 429,
            PrimaryLatencyMs = 812.5,
            CandidateLatencyMs = 40.25,
            PrimaryTtftMs = 120.5,
            CandidateTtftMs = 30.75,
            PrimaryFirstByteMs = 12.25,
            CandidateFirstByteMs = 3.5,
            PrimaryTokensEstimated = true,
            PrimaryTokensIn = 11,
            PrimaryTokensOut = 22,
            CandidateTokensIn = 33,
            CandidateTokensOut = 44,
            PrimaryCostUsd = 0.00012345m,
            CandidateCostUsd = 0.00000001m,
            MatchScore = 0.875,
            MatchTier = ComparisonTier.Semantic,
            SemanticSkipped = SemanticSkipReasons.QueueFull,
            ScoringModel = "text-embedding-3-small",
            ScoringTokens = 57,
            ScoringCostUsd = 0.00000114m,
            Verdict = Verdict.Error,
            CandidateErrorClass = ErrorClass.RateLimited,
            DiffSummaryJson = """{"content":"different"}""",
            RequestBody = "req\0body",
            PrimaryBody = "primary body",
            CandidateBody = "candidate body",
            Error = "429 Too Many Requests",
            Instance = "host-a",
        };
        var bucket = new TrafficBucket
        {
            Second = Records.Start,
            Instance = "host-a",
            Arm = TrafficArm.Canary,
            Model = "gpt-4.1",
            Requests = 1,
            Successes = 2,
            ErrorsTimeout = 3,
            ErrorsRateLimited = 4,
            ErrorsServer = 5,
            ErrorsClient = 6,
            ErrorsConnection = 7,
            Fallbacks = 8,
            ErrorsOther = 9,
            ShadowSampled = 10,
            ShadowDropped = 11,
            Latency = latency,
            Ttft = ttft,
        };
        var writer = CreateWriter(db.ConnectionString);
        await writer.StartAsync(CancellationToken.None);

        Assert.True(writer.TryWrite(result));
        Assert.True(writer.TryWrite(bucket));
        await writer.StopAsync(CancellationToken.None);

        await using var context = db.CreateDbContext();
        var row = await context.ShadowResults.SingleAsync();
        Assert.Equal(result.Time, row.Time);
        Assert.Equal(TimeSpan.Zero, row.Time.Offset);
        Assert.Equal(("req-1", "/v1/chat/completions", "gpt-4.1", "gpt-4.1-hs", true), (row.RequestId, row.Route, row.PrimaryModel, row.CandidateModel, row.Streamed));
        Assert.Equal((200, (int?)429), (row.PrimaryStatus, row.CandidateStatus));
        Assert.Equal((812.5, (double?)40.25, (double?)120.5, (double?)30.75), (row.PrimaryLatencyMs, row.CandidateLatencyMs, row.PrimaryTtftMs, row.CandidateTtftMs));
        Assert.Equal(((double?)12.25, (double?)3.5), (row.PrimaryFirstByteMs, row.CandidateFirstByteMs));
        Assert.Equal((true, false), (row.PrimaryTokensEstimated, row.CandidateTokensEstimated));
        Assert.Equal(((int?)11, (int?)22, (int?)33, (int?)44), (row.PrimaryTokensIn, row.PrimaryTokensOut, row.CandidateTokensIn, row.CandidateTokensOut));
        Assert.Equal((0.00012345m, 0.00000001m), (row.PrimaryCostUsd!.Value, row.CandidateCostUsd!.Value));
        Assert.Equal(0.875, row.MatchScore);
        Assert.Equal(("semantic", "queue_full", "text-embedding-3-small", (int?)57, (decimal?)0.00000114m),
            (row.MatchTier, row.SemanticSkipped, row.ScoringModel, row.ScoringTokens, row.ScoringCostUsd));
        Assert.Equal(("error", "rate_limited"), (row.Verdict, row.CandidateErrorClass));
        Assert.Equal("""{"content": "different"}""", row.DiffSummary);
        Assert.Equal(("reqbody", "primary body", "candidate body", "429 Too Many Requests", "host-a"), (row.RequestBody, row.PrimaryBody, row.CandidateBody, row.Error, row.Instance));

        var stored = await context.TrafficBuckets.SingleAsync();
        Assert.Equal((Records.Start, "host-a", "canary", "gpt-4.1"), (stored.Second, stored.Instance, stored.Arm, stored.Model));
        Assert.Equal(
            new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 },
            new long[] { stored.Requests, stored.Successes, stored.ErrorsTimeout, stored.ErrorsRateLimited, stored.ErrorsServer, stored.ErrorsClient,
             stored.ErrorsConnection, stored.Fallbacks, stored.ErrorsOther, stored.ShadowSampled, stored.ShadowDropped });
        var storedLatency = LatencyHistogram.FromBytes(stored.LatencyHist);
        Assert.Equal((3L, 4_500L), (storedLatency.Count, storedLatency.SumMicroseconds));
        Assert.Equal(1L, LatencyHistogram.FromBytes(stored.TtftHist).Count);
        Assert.Equal(new RecordSinkStats(2, 2, 0, 0, 0), writer.Stats);
    }

    [Fact]
    public async Task Run_FullBatches_WrittenWithoutWaitingForTheInterval()
    {
        await using var db = await TestDatabase.CreateAsync("writer_batch");
        var time = new FakeClock();
        var writer = CreateWriter(db.ConnectionString, time, o => { o.BatchSize = 100; o.FlushInterval = TimeSpan.FromHours(1); });
        for (var i = 0; i < 250; i++)
        {
            writer.TryWrite(Records.Shadow(i));
        }

        await writer.StartAsync(CancellationToken.None);
        await Records.EventuallyAsync(() => writer.Stats.Written == 200, "two full batches written");
        await time.WaitForTimersAsync(1);

        Assert.Equal(200L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        Assert.Equal(50L, writer.Stats.Pending);

        time.Advance(TimeSpan.FromHours(1));
        await Records.EventuallyAsync(() => writer.Stats.Written == 250, "partial batch written after the interval");
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(new RecordSinkStats(250, 250, 0, 0, 0), writer.Stats);
    }

    [Fact]
    public async Task Run_PartialBatch_WrittenWhenTheFlushIntervalPasses()
    {
        await using var db = await TestDatabase.CreateAsync("writer_interval");
        var time = new FakeClock();
        var writer = CreateWriter(db.ConnectionString, time, o => { o.BatchSize = 1000; o.FlushInterval = TimeSpan.FromMilliseconds(200); });
        await writer.StartAsync(CancellationToken.None);
        await time.WaitForTimersAsync(1);

        for (var i = 0; i < 5; i++)
        {
            writer.TryWrite(Records.Shadow(i));
            writer.TryWrite(Records.Bucket(i));
        }

        time.Advance(TimeSpan.FromMilliseconds(199));
        await Task.Delay(200);
        var beforeInterval = writer.Stats.Written;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Records.EventuallyAsync(() => writer.Stats.Written == 10, "records written at the interval");

        Assert.Equal(0L, beforeInterval);
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TryWrite_BufferFull_DropsNewestAndCounts()
    {
        await using var db = await TestDatabase.CreateAsync("writer_overflow");
        var writer = CreateWriter(db.ConnectionString, configure: o => { o.BatchSize = 100; o.BufferCapacity = 1000; });

        var accepted = 0;
        for (var i = 0; i < 1500; i++)
        {
            accepted += writer.TryWrite(Records.Shadow(i)) ? 1 : 0;
        }

        Assert.Equal(new RecordSinkStats(1500, 0, 500, 1000, 0), writer.Stats);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1000, accepted);
        Assert.Equal(new RecordSinkStats(1500, 1000, 500, 0, 0), writer.Stats);
        Assert.Equal(new RecordSinkDrops(BufferFull: 500, Rejected: 0, SchemaMissing: 0, Stopped: 0), writer.Drops);
        Assert.Equal(999L, await db.ScalarAsync<long>("SELECT max(primary_latency_ms)::bigint - 100 FROM shadow_results"));
    }

    [Fact]
    public async Task TryWrite_BufferFullOfShadowRows_TrafficBucketsStillTaken()
    {
        await using var db = await TestDatabase.CreateAsync("writer_bucket_reserve");
        var writer = CreateWriter(db.ConnectionString, configure: o => { o.BatchSize = 100; o.BufferCapacity = 1000; });
        for (var i = 0; i < 1500; i++)
        {
            writer.TryWrite(Records.Shadow(i));
        }

        var buckets = Enumerable.Range(0, writer.BucketReserve + 1).Count(i => writer.TryWrite(Records.Bucket(i)));
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(writer.BucketReserve, buckets);
        Assert.Equal((long)writer.BucketReserve, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        Assert.Equal(1000L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
    }

    [Fact]
    public async Task Run_RowPostgresRejects_DropsOnlyThatRow()
    {
        await using var db = await TestDatabase.CreateAsync("writer_poison");
        var writer = CreateWriter(db.ConnectionString);
        writer.TryWrite(Records.Shadow(1));
        writer.TryWrite(Records.Shadow(2) with { DiffSummaryJson = "not json" });
        writer.TryWrite(Records.Shadow(3));

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(new RecordSinkStats(3, 2, 1, 0, 0), writer.Stats);
        Assert.Equal(new RecordSinkDrops(BufferFull: 0, Rejected: 1, SchemaMissing: 0, Stopped: 0), writer.Drops);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results WHERE request_id IN ('req-1', 'req-3')"));
    }

    [Fact]
    public async Task Run_EightKilobyteRandomModel_DropsOnlyThatRowAndKeepsWritingBuckets()
    {
        // An 8 KB random label stays over PostgreSQL's btree row limit after compression (54000, not a data error):
        // the batch must not be retried forever, holding back every later bucket the controller reads.
        await using var db = await TestDatabase.CreateAsync("writer_poison_label");
        var random = new Random(16);
        var huge = new string([.. Enumerable.Range(0, 8192).Select(_ => (char)random.Next('!', '~' + 1))]);
        var writer = CreateWriter(db.ConnectionString, configure: o => o.FlushInterval = TimeSpan.FromMilliseconds(20));
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            writer.TryWrite(Records.Bucket(i, model: i == 4 ? huge : "gpt-4.1"));
            writer.TryWrite(Records.Shadow(i, model: i == 7 ? huge : "gpt-4.1") with { Error = i == 2 ? "lone \ud800 surrogate" : null });
        }

        await Records.EventuallyAsync(() => writer.Stats.Pending == 0, "the batch with the poison rows handled");
        writer.TryWrite(Records.Bucket(20));
        await Records.EventuallyAsync(() => writer.Stats.Written == 19, "a later bucket written");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(new RecordSinkStats(21, 19, 2, 0, 0), writer.Stats);
        Assert.Equal(new RecordSinkDrops(BufferFull: 0, Rejected: 2, SchemaMissing: 0, Stopped: 0), writer.Drops);
        Assert.Equal(10L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets WHERE model = 'gpt-4.1'"));
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results WHERE primary_model = 'gpt-4.1'"));
        Assert.Equal("lone \ufffd surrogate", await db.ScalarAsync<string>("SELECT error FROM shadow_results WHERE request_id = 'req-2'"));
    }

    [Fact]
    public async Task Run_PostgresStoppedMidRun_ProducersNeverBlockAndWriterResumes()
    {
        await using var server = await TestDatabase.StartDedicatedServerAsync();
        var connectionString = server.ConnectionStringFor("writer_outage");
        await MigrationDatabase.MigrateAsync(connectionString);
        var writer = CreateWriter(connectionString, configure: o =>
        {
            o.BatchSize = 100;
            o.FlushInterval = TimeSpan.FromMilliseconds(20);
            o.BufferCapacity = 2000;
            o.RetryMinDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
        });
        await writer.StartAsync(CancellationToken.None);

        for (var i = 0; i < 500; i++)
        {
            writer.TryWrite(Records.Shadow(i));
        }

        await Records.EventuallyAsync(() => writer.Stats.Written == 500, "first records written");
        await server.StopServerAsync();

        // While the server is down: every call returns at once; what does not fit is refused and counted.
        var accepted = 0;
        var refused = 0;
        for (var i = 500; i < 3500; i++)
        {
            if (writer.TryWrite(Records.Shadow(i)))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        await Records.EventuallyAsync(() => writer.Stats.Failures >= 2, "write failures while the server is down");
        var duringOutage = writer.Stats;
        await server.StartServerAsync();
        await Records.EventuallyAsync(() => writer.Stats.Pending == 0, "buffer drained after the server came back");
        await writer.StopAsync(CancellationToken.None);

        var stats = writer.Stats;
        Assert.Equal(3000, accepted + refused);
        Assert.Equal(1000, refused);
        Assert.Equal(500L, duringOutage.Written);
        Assert.Equal(3500L, stats.Produced);
        Assert.Equal(stats.Produced, stats.Written + stats.Dropped);
        Assert.Equal(1000L, stats.Dropped);
        Assert.Equal(2500L, stats.Written);
        await using var check = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await check.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM shadow_results", check);
        Assert.Equal(stats.Written, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task StopAsync_PostgresDown_DropsWhatIsLeftAfterTheStopTimeout()
    {
        using var refused = new RefusedPort();
        var writer = CreateWriter($"Host=127.0.0.1;Port={refused.Port};Username=postgres;Timeout=2", configure: o =>
        {
            o.StopTimeout = TimeSpan.FromMilliseconds(300);
            o.RetryMinDelay = TimeSpan.FromMilliseconds(10);
        });
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            writer.TryWrite(Records.Shadow(i));
        }

        await writer.StopAsync(CancellationToken.None);
        var afterStop = writer.TryWrite(Records.Shadow(99));

        Assert.False(afterStop);
        var stats = writer.Stats;
        Assert.Equal((11L, 0L, 11L, 0L), (stats.Produced, stats.Written, stats.Dropped, stats.Pending));
        Assert.Equal(new RecordSinkDrops(BufferFull: 0, Rejected: 0, SchemaMissing: 0, Stopped: 11), writer.Drops);
        Assert.True(stats.Failures > 0);
    }

    [Fact]
    public async Task TryWrite_CandidateAttempts_EveryFieldAndEveryNullLandInTheirColumns()
    {
        await using var db = await TestDatabase.CreateAsync("writer_attempts");
        var failed = new CandidateAttempt
        {
            Time = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)),
            RequestId = "req-7",
            Route = "/v1/chat/completions",
            Reason = "failover",
            RequestedModel = "gpt-4.1",
            Model = "gemini-2.5-flash",
            Attempt = 2,
            Outcome = "next_model",
            ErrorClass = ErrorClass.RateLimited,
            Status = 429,
            LatencyMs = 40.25,
            TtftMs = 12.5,
            TokensIn = 11,
            TokensOut = 22,
            CostUsd = 123456789012.000000000001m,
            Message = "429 Too\0 Many Requests",
        };
        var served = new CandidateAttempt
        {
            Time = Records.Start,
            RequestId = "req-8",
            Route = "/v1/responses",
            Reason = "canary",
            RequestedModel = "gpt-4.1",
            Model = "deepseek-v3.2",
            Attempt = 3,
            Outcome = "served",
            LatencyMs = 812.5,
        };
        var writer = CreateWriter(db.ConnectionString);
        IRecordSink sink = writer;
        await writer.StartAsync(CancellationToken.None);

        Assert.True(sink.TryWrite(failed));
        Assert.True(sink.TryWrite(served));
        await writer.StopAsync(CancellationToken.None);

        await using var context = db.CreateDbContext();
        var rows = await context.CandidateAttempts.OrderBy(x => x.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        var row = rows[0];
        Assert.Equal(failed.Time, row.Time);
        Assert.Equal(TimeSpan.Zero, row.Time.Offset);
        Assert.Equal(("req-7", "/v1/chat/completions", "failover", "gpt-4.1", "gemini-2.5-flash"), (row.RequestId, row.Route, row.Reason, row.RequestedModel, row.Model));
        Assert.Equal((2, "next_model", "rate_limited", (int?)429), (row.Attempt, row.Outcome, row.ErrorClass, row.Status));
        Assert.Equal((40.25, (double?)12.5), (row.LatencyMs, row.TtftMs));
        Assert.Equal(((int?)11, (int?)22), (row.TokensIn, row.TokensOut));
        Assert.Equal(123456789012.000000000001m, row.CostUsd);
        Assert.Equal("429 Too Many Requests", row.Message);

        var bare = rows[1];
        Assert.Equal((Records.Start, "req-8", "/v1/responses", "canary", "deepseek-v3.2"), (bare.Time, bare.RequestId, bare.Route, bare.Reason, bare.Model));
        Assert.Equal((3, "served", "none", 812.5), (bare.Attempt, bare.Outcome, bare.ErrorClass, bare.LatencyMs));
        Assert.Equal(((int?)null, (double?)null, (int?)null, (int?)null, (decimal?)null, (string?)null), (bare.Status, bare.TtftMs, bare.TokensIn, bare.TokensOut, bare.CostUsd, bare.Message));
        Assert.Equal(new RecordSinkStats(2, 2, 0, 0, 0), writer.Stats);
    }

    [Fact]
    public async Task Stats_AllThreeKindsWithOverflowAndARejectedAttempt_ProducedEqualsWrittenPlusDroppedPlusPending()
    {
        await using var db = await TestDatabase.CreateAsync("writer_mix");
        var writer = CreateWriter(db.ConnectionString, configure: o => { o.BatchSize = 10; o.BufferCapacity = 30; });
        var accepted = new int[3];
        for (var i = 0; i < 12; i++)
        {
            accepted[0] += writer.TryWrite(Records.Shadow(i)) ? 1 : 0;
            accepted[1] += writer.TryWrite(Records.Bucket(i)) ? 1 : 0;
            // numeric(24,12) holds at most 12 integer digits: PostgreSQL rejects this one row (22003).
            var attempt = i == 3 ? Records.Attempt(i) with { CostUsd = 10_000_000_000_000m } : Records.Attempt(i);
            accepted[2] += writer.TryWrite(attempt) ? 1 : 0;
        }

        var buffered = writer.Stats;
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        // Buckets have a reserve above the capacity: the two after the buffer filled are still taken.
        Assert.Equal([10, 12, 10], accepted);
        Assert.Equal(new RecordSinkStats(36, 0, 4, 32, 0), buffered);
        Assert.Equal(new RecordSinkStats(36, 31, 5, 0, 0), writer.Stats);
        Assert.Equal(10L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        Assert.Equal(12L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM candidate_attempts WHERE request_id <> 'req-3'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM candidate_attempts WHERE request_id = 'req-3'"));
    }

    [Fact]
    public async Task Run_AttemptsTableMissing_DropsAndCountsAttemptsWhileTheOtherRecordsAreWritten()
    {
        await using var db = await TestDatabase.CreateAsync("writer_attempts_missing");
        await db.ScalarAsync<int>("ALTER TABLE candidate_attempts RENAME TO candidate_attempts_away; SELECT 1");
        var writer = CreateWriter(db.ConnectionString, configure: o => o.FlushInterval = TimeSpan.FromMilliseconds(20));
        for (var i = 0; i < 5; i++)
        {
            writer.TryWrite(Records.Shadow(i));
            writer.TryWrite(Records.Bucket(i));
            writer.TryWrite(Records.Attempt(i));
        }

        await writer.StartAsync(CancellationToken.None);
        await Records.EventuallyAsync(() => writer.Stats.Pending == 0, "every record handled");
        var duringMissing = writer.Stats;

        // Migrated again: new attempts land.
        await db.ScalarAsync<int>("ALTER TABLE candidate_attempts_away RENAME TO candidate_attempts; SELECT 1");
        writer.TryWrite(Records.Attempt(5));
        await Records.EventuallyAsync(() => writer.Stats.Written == 11, "the attempt written once the table is back");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal((15L, 10L, 5L, 0L, 0L), (duringMissing.Produced, duringMissing.Written, duringMissing.Dropped, duringMissing.Pending, duringMissing.Failures));
        Assert.Equal(new RecordSinkStats(16, 11, 5, 0, 0), writer.Stats);
        Assert.Equal(new RecordSinkDrops(BufferFull: 0, Rejected: 0, SchemaMissing: 5, Stopped: 0), writer.Drops);
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM traffic_buckets"));
        Assert.Equal("req-5", await db.ScalarAsync<string>("SELECT request_id FROM candidate_attempts"));
    }

    internal static PostgresRecordWriter CreateWriter(string connectionString, TimeProvider? time = null, Action<PostgresStorageOptions>? configure = null)
    {
        var options = new PostgresStorageOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        return new PostgresRecordWriter(
            new MigrationDataSource(connectionString),
            Options.Create(options),
            time ?? TimeProvider.System,
            NullLogger<PostgresRecordWriter>.Instance);
    }
}
