using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.Postgres.Reporting;
using Migration.Postgres.Storage;
using Migration.Postgres.Tests.Storage;
using Migration.TestKit;

namespace Migration.Postgres.Tests.Reporting;

public sealed class PostgresReportQueriesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetShadowStatsAsync_SeededRows_EqualsFiguresComputedIndependently()
    {
        await using var db = await TestDatabase.CreateAsync("report_all");
        var rows = Seed(1000);
        await WriteAsync(db, rows, Buckets());
        var queries = new PostgresReportQueries(new MigrationDataSource(db.ConnectionString));

        var stats = await queries.GetShadowStatsAsync(new ReportFilter(), CancellationToken.None);

        AssertMatches(rows, stats);
        Assert.Equal(7L + 5L + 3L + 1000L, stats.Dropped);
        Assert.Equal(["gpt-4.1", "claude-sonnet-4.5"], stats.ByModel.Select(m => m.Model));
        foreach (var model in stats.ByModel)
        {
            var subset = rows.Where(r => r.PrimaryModel == model.Model).ToList();
            Assert.Equal(subset.Count, model.Total);
            Assert.Equal(subset.Count(r => r.Verdict != Verdict.Error), model.Compared);
            Assert.Equal(MatchRate(subset), model.MatchRate!.Value, 12);
            Assert.Equal(MostCommon(subset.Select(r => r.CandidateModel)), model.CandidateModel);
            AssertArm(subset, r => r.PrimaryLatencyMs, r => r.PrimaryTtftMs, r => r.PrimaryStatus is >= 200 and < 300, model.Primary);
            AssertArm(subset, r => r.CandidateLatencyMs, r => r.CandidateTtftMs, CandidateSucceeded, model.Candidate);
        }
    }

    [Fact]
    public async Task GetShadowStatsAsync_SinceAndModel_CountsOnlyMatchingRows()
    {
        await using var db = await TestDatabase.CreateAsync("report_filter");
        var rows = Seed(600);
        await WriteAsync(db, rows, Buckets());
        var queries = new PostgresReportQueries(new MigrationDataSource(db.ConnectionString));
        var since = T0.AddSeconds(200);

        var stats = await queries.GetShadowStatsAsync(new ReportFilter(since, "claude-sonnet-4.5"), CancellationToken.None);

        var expected = rows.Where(r => r.Time >= since && r.PrimaryModel == "claude-sonnet-4.5").ToList();
        Assert.NotEmpty(expected);
        AssertMatches(expected, stats);
        Assert.Equal(3L, stats.Dropped);
        Assert.Equal("claude-sonnet-4.5", Assert.Single(stats.ByModel).Model);
    }

    [Fact]
    public async Task GetShadowStatsAsync_NoiseRows_NeverEnterTheCandidateFigures()
    {
        await using var db = await TestDatabase.CreateAsync("report_noise_apart");
        var rows = Seed(400);

        // Noise rows unlike any candidate row: other verdicts, latencies, costs, tokens and times, in both models.
        var noise = Seed(300).Select(r => r with
        {
            Kind = ShadowKind.Noise,
            Time = r.Time.AddHours(1),
            CandidateModel = r.PrimaryModel,
            Verdict = Verdict.Different,
            CandidateStatus = 200,
            CandidateErrorClass = ErrorClass.None,
            CandidateLatencyMs = 90_000,
            PrimaryLatencyMs = 80_000,
            CandidateCostUsd = 5m,
            PrimaryCostUsd = 7m,
            CandidateTokensIn = 100_000,
        }).ToList();
        await WriteAsync(db, [.. rows, .. noise], Buckets());
        var queries = new PostgresReportQueries(new MigrationDataSource(db.ConnectionString));

        var stats = await queries.GetShadowStatsAsync(new ReportFilter(), CancellationToken.None);

        Assert.Equal(700L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results"));
        Assert.Equal(300L, await db.ScalarAsync<long>("SELECT count(*) FROM shadow_results WHERE kind = 'noise'"));
        AssertMatches(rows, stats);
        foreach (var model in stats.ByModel)
        {
            Assert.Equal(rows.Count(r => r.PrimaryModel == model.Model), model.Total);
        }
    }

    [Fact]
    public async Task BuildAsync_FailedAndUnpricedCandidateCalls_ExcludedCountedAndSavingsPercentUnchanged()
    {
        await using var db = await TestDatabase.CreateAsync("report_cost_excluded");
        var builder = new ReportBuilder(new PostgresReportQueries(new MigrationDataSource(db.ConnectionString)), new ReadinessOptions(), new FakeClock());
        ShadowResult Row(int i, decimal? primaryUsd, decimal? candidateUsd, int? candidateStatus = 200, ErrorClass error = ErrorClass.None) => new()
        {
            Time = T0.AddSeconds(i),
            RequestId = $"c{i}",
            Route = "/v1/chat/completions",
            PrimaryModel = "gpt-4.1",
            CandidateModel = "gpt-4.1-hs",
            PrimaryStatus = 200,
            CandidateStatus = candidateStatus,
            PrimaryLatencyMs = 300,
            CandidateLatencyMs = candidateStatus is null ? null : 280,
            PrimaryCostUsd = primaryUsd,
            CandidateCostUsd = candidateUsd,
            MatchScore = error == ErrorClass.None ? 1 : null,
            Verdict = error == ErrorClass.None ? Verdict.Exact : Verdict.Error,
            CandidateErrorClass = error,
            Instance = "seed",
        };

        // 40 exchanges priced on both sides, the candidate 30 % cheaper; 2 of them with tokens counted by the tokenizer.
        var priced = Enumerable.Range(0, 40).Select(i => Row(i, 0.0010m, 0.0007m) with { PrimaryTokensEstimated = i < 2 }).ToList();
        await WriteAsync(db, priced, []);
        var before = await builder.BuildAsync(new ReportFilter(), CancellationToken.None);

        // Calls that would inflate the savings if their unknown candidate cost were taken as $0.
        List<ShadowResult> excluded =
        [
            .. Enumerable.Range(100, 5).Select(i => Row(i, 0.0010m, 0.0002m, 502, ErrorClass.ServerError)), // failed, billed
            .. Enumerable.Range(200, 4).Select(i => Row(i, 0.0010m, null, null, ErrorClass.Timeout)), // failed, cost unknown
            .. Enumerable.Range(300, 6).Select(i => Row(i, 0.0010m, null)), // answered, no price
            .. Enumerable.Range(400, 3).Select(i => Row(i, null, 0.0001m)), // primary not priced
        ];
        await WriteAsync(db, excluded, []);
        var after = await builder.BuildAsync(new ReportFilter(), CancellationToken.None);

        Assert.Equal(30.0, before.Cost.SavingsPercent!.Value, 9);
        Assert.Equal(before.Cost.SavingsPercent, after.Cost.SavingsPercent);
        var cost = after.Cost.Priced!;
        Assert.Equal((40L, 0.04m, 0.028m), (cost.Compared, cost.PrimaryUsd, cost.CandidateUsd));
        Assert.Equal((9L, 0.0010m, 4L), (cost.CandidateFailed, cost.CandidateFailedBilledUsd, cost.CandidateFailedUnknown));
        Assert.Equal((6L, 3L, 18L), (cost.CandidateUnpriced, cost.PrimaryUnpriced, cost.Excluded));
        Assert.Equal(2L, cost.EstimatedTokens);
    }

    [Fact]
    public async Task GetShadowStatsAsync_NoRows_ReturnsEmptyFigures()
    {
        await using var db = await TestDatabase.CreateAsync("report_empty");
        var queries = new PostgresReportQueries(new MigrationDataSource(db.ConnectionString));

        var stats = await queries.GetShadowStatsAsync(new ReportFilter(), CancellationToken.None);

        Assert.Equal((0L, 0L, 0L), (stats.Total, stats.Compared, stats.Dropped));
        Assert.Null(stats.MatchRate);
        Assert.Null(stats.LatencyDiffMs);
        Assert.Null(stats.Primary.SuccessRate);
        Assert.Null(stats.Primary.LatencyMs.P50);
        Assert.Empty(stats.ByModel);
        Assert.Null(stats.FirstAt);
    }

    private static CandidateAttempt Attempt(string request, int number, string requested, string model, string outcome, decimal? cost, double latencyMs, int secondsAfterT0 = 0) => new()
    {
        Time = T0.AddSeconds(secondsAfterT0),
        RequestId = request,
        Route = "/v1/chat/completions",
        Reason = "canary",
        RequestedModel = requested,
        Model = model,
        Attempt = number,
        Outcome = outcome,
        ErrorClass = outcome == "served" ? ErrorClass.None : ErrorClass.ServerError,
        Status = outcome == "served" ? 200 : 503,
        LatencyMs = latencyMs,
        CostUsd = cost,
    };

    private static List<CandidateAttempt> FallbackAttempts() =>
    [
        // r1: first model served. r2: the second model served. r3: every model failed, the primary served it.
        Attempt("r1", 1, "gpt-4.1", "gpt-4.1", "served", 0.002m, 100),
        Attempt("r2", 1, "gpt-4.1", "gpt-4.1", "next_model", 0m, 10),
        Attempt("r2", 2, "gpt-4.1", "gemini-2.5-flash", "served", 0.0005m, 200),
        Attempt("r3", 1, "gpt-4.1", "gpt-4.1", "retry", 0m, 5, 100),
        Attempt("r3", 2, "gpt-4.1", "gpt-4.1", "next_model", 0m, 15, 100),
        Attempt("r3", 3, "gpt-4.1", "gemini-2.5-flash", "next_model", 0m, 20, 100),
        Attempt("r3", 4, "gpt-4.1", "deepseek-v3.2", "fell_back", 0m, 40, 100),
        Attempt("r4", 1, "o3", "o3", "served", null, 300, 100),

        // r5 straddles the window start (50 s): its first attempt is before it, so the request is not in the window.
        Attempt("r5", 1, "gpt-4.1", "gpt-4.1", "next_model", 0m, 10, 49),
        Attempt("r5", 2, "gpt-4.1", "gemini-2.5-flash", "served", 0.001m, 10, 51),
    ];

    [Fact]
    public async Task GetFallbackReportAsync_StoredAttempts_RequestsAndPerModelFiguresInTriedOrder()
    {
        await using var db = await TestDatabase.CreateAsync("report_fallbacks");
        await WriteAttemptsAsync(db, FallbackAttempts());
        var queries = new PostgresReportQueries(new MigrationDataSource(db.ConnectionString));

        var report = await queries.GetFallbackReportAsync(new ReportFilter(), CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal((5L, 2L, 1L, 0.0035m), (report.Requests, report.ServedByFallback, report.FellBackToPrimary, report.CostUsd));
        Assert.Equal(
            ["gpt-4.1/gpt-4.1 5: 1 served 3 next 1 retry 0 fell back", "gpt-4.1/gemini-2.5-flash 3: 2 served 1 next 0 retry 0 fell back", "gpt-4.1/deepseek-v3.2 1: 0 served 0 next 0 retry 1 fell back", "o3/o3 1: 1 served 0 next 0 retry 0 fell back"],
            report.Models.Select(m => $"{m.RequestedModel}/{m.Model} {m.Attempts}: {m.Served} served {m.NextModel} next {m.Retried} retry {m.FellBack} fell back"));
        var first = report.Models[0];
        Assert.Equal((0.002m, 28.0), (first.CostUsd, first.AverageLatencyMs!.Value));
        Assert.Equal(0m, report.Models[3].CostUsd);
    }

    [Fact]
    public async Task GetFallbackReportAsync_SinceAndModel_OnlyMatchingAttempts()
    {
        await using var db = await TestDatabase.CreateAsync("report_fallbacks_filter");
        await WriteAttemptsAsync(db, FallbackAttempts());
        var queries = new PostgresReportQueries(new MigrationDataSource(db.ConnectionString));

        var report = await queries.GetFallbackReportAsync(new ReportFilter(T0.AddSeconds(50), "gpt-4.1"), CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal((1L, 0L, 1L), (report.Requests, report.ServedByFallback, report.FellBackToPrimary));
        Assert.Equal(["gpt-4.1 2", "gemini-2.5-flash 1", "deepseek-v3.2 1"], report.Models.Select(m => $"{m.Model} {m.Attempts}"));
        Assert.Null(await queries.GetFallbackReportAsync(new ReportFilter(T0.AddSeconds(500)), CancellationToken.None));
    }

    private static async Task WriteAttemptsAsync(TestDatabase db, List<CandidateAttempt> attempts)
    {
        var writer = PostgresRecordWriterTests.CreateWriter(db.ConnectionString);
        foreach (var attempt in attempts)
        {
            Assert.True(writer.TryWrite(attempt));
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(attempts.Count, writer.Stats.Written);
    }

    private static void AssertMatches(List<ShadowResult> rows, ShadowStats stats)
    {
        Assert.Equal(rows.Count, stats.Total);
        Assert.Equal(rows.Count(r => r.Verdict != Verdict.Error), stats.Compared);
        Assert.Equal(
            new VerdictCounts(
                rows.Count(r => r.Verdict == Verdict.Exact),
                rows.Count(r => r.Verdict == Verdict.Equivalent),
                rows.Count(r => r.Verdict == Verdict.Similar),
                rows.Count(r => r.Verdict == Verdict.Different),
                rows.Count(r => r.Verdict == Verdict.Error)),
            stats.Verdicts);
        Assert.Equal(MatchRate(rows), stats.MatchRate!.Value, 12);
        var diffs = rows
            .Where(r => r.Verdict != Verdict.Error && r.CandidateLatencyMs is not null)
            .Select(r => r.CandidateLatencyMs!.Value - r.PrimaryLatencyMs)
            .ToList();
        AssertClose(PercentileCont(diffs, 0.5), stats.LatencyDiffMs);
        AssertArm(rows, r => r.PrimaryLatencyMs, r => r.PrimaryTtftMs, r => r.PrimaryStatus is >= 200 and < 300, stats.Primary);
        AssertArm(rows, r => r.CandidateLatencyMs, r => r.CandidateTtftMs, CandidateSucceeded, stats.Candidate);
        Assert.Equal(rows.Sum(r => r.PrimaryCostUsd ?? 0), stats.Primary.CostUsd);
        Assert.Equal(rows.Sum(r => r.CandidateCostUsd ?? 0), stats.Candidate.CostUsd);
        Assert.Equal(rows.Sum(r => (long)(r.PrimaryTokensIn ?? 0)), stats.Primary.TokensIn);
        Assert.Equal(rows.Sum(r => (long)(r.PrimaryTokensOut ?? 0)), stats.Primary.TokensOut);
        Assert.Equal(rows.Sum(r => (long)(r.CandidateTokensIn ?? 0)), stats.Candidate.TokensIn);
        Assert.Equal(rows.Sum(r => (long)(r.CandidateTokensOut ?? 0)), stats.Candidate.TokensOut);
        Assert.Equal(rows.Min(r => r.Time), stats.FirstAt);
        Assert.Equal(rows.Max(r => r.Time), stats.LastAt);
    }

    private static void AssertArm(
        List<ShadowResult> rows, Func<ShadowResult, double?> latency, Func<ShadowResult, double?> ttft, Func<ShadowResult, bool> success, ArmStats arm)
    {
        Assert.Equal(rows.Count, arm.Requests);
        Assert.Equal((double)rows.Count(success) / rows.Count, arm.SuccessRate!.Value, 12);
        // Latency and TTFT percentiles over successful exchanges only; failures have their own error latency.
        var latencies = rows.Where(success).Select(latency).OfType<double>().ToList();
        var ttfts = rows.Where(success).Select(ttft).OfType<double>().ToList();
        var errorLatencies = rows.Where(r => !success(r)).Select(latency).OfType<double>().ToList();
        Assert.Equal(rows.Count(success), arm.Successes);
        if (errorLatencies.Count > 0)
        {
            Assert.NotNull(arm.ErrorLatencyMs);
            AssertClose(PercentileCont(errorLatencies, 0.5), arm.ErrorLatencyMs!.P50);
            AssertClose(PercentileCont(errorLatencies, 0.99), arm.ErrorLatencyMs.P99);
        }

        AssertClose(PercentileCont(latencies, 0.5), arm.LatencyMs.P50);
        AssertClose(PercentileCont(latencies, 0.95), arm.LatencyMs.P95);
        AssertClose(PercentileCont(latencies, 0.99), arm.LatencyMs.P99);
        AssertClose(PercentileCont(ttfts, 0.5), arm.TtftMs.P50);
        AssertClose(PercentileCont(ttfts, 0.95), arm.TtftMs.P95);
        AssertClose(PercentileCont(ttfts, 0.99), arm.TtftMs.P99);
    }

    private static bool CandidateSucceeded(ShadowResult r) => r.CandidateStatus is >= 200 and < 300 && r.CandidateErrorClass == ErrorClass.None;

    private static double MatchRate(List<ShadowResult> rows) =>
        (double)rows.Count(r => r.Verdict is Verdict.Exact or Verdict.Equivalent or Verdict.Similar) / rows.Count(r => r.Verdict != Verdict.Error);

    private static string MostCommon(IEnumerable<string> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    /// <summary>Linear interpolation between closest ranks, as PostgreSQL's percentile_cont.</summary>
    private static double PercentileCont(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private static void AssertClose(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
    }

    /// <summary>Rows with known, varied figures: two models, every verdict, failures, nulls.</summary>
    private static List<ShadowResult> Seed(int count)
    {
        var random = new Random(42);
        var rows = new List<ShadowResult>(count);
        for (var i = 0; i < count; i++)
        {
            var model = i % 10 < 7 ? "gpt-4.1" : "claude-sonnet-4.5";
            var verdict = (i % 10) switch
            {
                < 5 => Verdict.Exact,
                5 => Verdict.Equivalent,
                6 => Verdict.Similar,
                7 or 8 => Verdict.Different,
                _ => Verdict.Error,
            };
            var timedOut = verdict == Verdict.Error && i % 20 == 9;
            var primaryLatency = Math.Round(200 + (random.NextDouble() * 800) + (random.Next(100) == 0 ? 5000 : 0), 3);
            rows.Add(new ShadowResult
            {
                Time = T0.AddSeconds(i),
                RequestId = $"r{i}",
                Route = "/v1/chat/completions",
                PrimaryModel = model,
                // Mostly one mapped model, sometimes another: the report names the most common.
                CandidateModel = i % 13 == 0 ? model + "-alt" : model + "-hs",
                Streamed = i % 2 == 0,
                PrimaryStatus = i % 50 == 0 ? 500 : 200,
                CandidateStatus = timedOut ? null : verdict == Verdict.Error ? 502 : 200,
                PrimaryLatencyMs = primaryLatency,
                CandidateLatencyMs = timedOut ? null : Math.Round(150 + (random.NextDouble() * 900), 3),
                PrimaryTtftMs = i % 3 == 0 ? null : Math.Round(50 + (random.NextDouble() * 100), 3),
                CandidateTtftMs = i % 4 == 0 ? null : Math.Round(40 + (random.NextDouble() * 120), 3),
                PrimaryTokensIn = 10 + (i % 7),
                PrimaryTokensOut = i % 5 == 0 ? null : 20 + (i % 11),
                CandidateTokensIn = timedOut ? null : 10 + (i % 7),
                CandidateTokensOut = timedOut ? null : 21 + (i % 9),
                PrimaryCostUsd = Math.Round((decimal)random.NextDouble() / 1000m, 8),
                CandidateCostUsd = timedOut ? null : Math.Round((decimal)random.NextDouble() / 2000m, 8),
                MatchScore = verdict == Verdict.Error ? null : random.NextDouble(),
                Verdict = verdict,
                CandidateErrorClass = timedOut ? ErrorClass.Timeout : verdict == Verdict.Error ? ErrorClass.ServerError : ErrorClass.None,
                Instance = "seed",
            });
        }

        return rows;
    }

    private static List<TrafficBucket> Buckets() =>
    [
        Records.Bucket(0, model: "gpt-4.1", shadowDropped: 7) with { Second = T0 },
        Records.Bucket(1, model: "gpt-4.1", shadowDropped: 5) with { Second = T0.AddSeconds(500) },
        Records.Bucket(2, TrafficArm.Primary, "claude-sonnet-4.5", shadowDropped: 3) with { Second = T0.AddSeconds(300) },
        Records.Bucket(3, TrafficArm.Primary, "claude-sonnet-4.5", shadowDropped: 1000) with { Second = T0.AddSeconds(-1) },
    ];

    private static async Task WriteAsync(TestDatabase db, List<ShadowResult> rows, List<TrafficBucket> buckets)
    {
        var writer = PostgresRecordWriterTests.CreateWriter(db.ConnectionString);
        foreach (var row in rows)
        {
            Assert.True(writer.TryWrite(row));
        }

        foreach (var bucket in buckets)
        {
            Assert.True(writer.TryWrite(bucket));
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(rows.Count + buckets.Count, writer.Stats.Written);
    }
}
