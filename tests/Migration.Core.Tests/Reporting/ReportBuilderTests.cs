using System.Text.Json;
using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

public class ReportBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FixedQueries(ShadowStats stats, FallbackReport? fallbacks = null) : IReportQueries
    {
        public ReportFilter? LastFilter { get; private set; }

        public ReportFilter? LastFallbackFilter { get; private set; }

        public Task<FallbackReport?> GetFallbackReportAsync(ReportFilter filter, CancellationToken cancellationToken)
        {
            LastFallbackFilter = filter;
            return Task.FromResult(fallbacks);
        }

        public Task<ShadowStats> GetShadowStatsAsync(ReportFilter filter, CancellationToken cancellationToken)
        {
            LastFilter = filter;
            return Task.FromResult(stats);
        }
    }

    private static ReportBuilder Builder(ShadowStats stats) => new(new FixedQueries(stats), new ReadinessOptions(), new FixedTime());

    [Fact]
    public async Task BuildAsync_FallbackAttempts_SectionWithTheQueriedFiguresAndFilter()
    {
        var fallbacks = new FallbackReport(3, 1, 1, 0.01m, [new FallbackModelStats("gpt-4.1", "gemini-2.5-flash", 2, 1, 1, 0, 0, 0, 0.01m, 120)]);
        var queries = new FixedQueries(ReadinessEvaluatorTests.Healthy(), fallbacks);
        var filter = new ReportFilter(Now.AddHours(-1), "gpt-4.1");

        var report = await new ReportBuilder(queries, new ReadinessOptions(), new FixedTime()).BuildAsync(filter, CancellationToken.None);

        Assert.Same(fallbacks, report.Fallbacks);
        Assert.Equal(filter, queries.LastFallbackFilter);
        Assert.Contains("\"fallbacks\":{\"requests\":3,\"servedByFallback\":1", JsonSerializer.Serialize(report, ReportJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_NoFallbackAttempts_NoSection()
    {
        var empty = new FallbackReport(0, 0, 0, 0m, []);

        var none = await Builder(ReadinessEvaluatorTests.Healthy()).BuildAsync(new ReportFilter(), CancellationToken.None);
        var zero = await new ReportBuilder(new FixedQueries(ReadinessEvaluatorTests.Healthy(), empty), new ReadinessOptions(), new FixedTime()).BuildAsync(new ReportFilter(), CancellationToken.None);

        Assert.Null(none.Fallbacks);
        Assert.Null(zero.Fallbacks);
    }

    [Fact]
    public void Build_CheaperCandidate_SavingsPercent()
    {
        var report = Builder(ReadinessEvaluatorTests.Healthy()).Build(new ReportFilter(), ReadinessEvaluatorTests.Healthy(candidateCost: 1.5m, primaryCost: 2m));

        Assert.Equal(new CostReport(2m, 1.5m, 25.0), report.Cost);
    }

    [Fact]
    public void Build_PrimaryCostZero_SavingsNull()
    {
        var report = Builder(ReadinessEvaluatorTests.Healthy()).Build(new ReportFilter(), ReadinessEvaluatorTests.Healthy(candidateCost: 0m, primaryCost: 0m));

        Assert.Null(report.Cost.SavingsPercent);
    }

    [Fact]
    public void Build_MoreExpensiveCandidate_NegativeSavings()
    {
        var report = Builder(ReadinessEvaluatorTests.Healthy()).Build(new ReportFilter(), ReadinessEvaluatorTests.Healthy(candidateCost: 1.2m, primaryCost: 1m));

        Assert.Equal(-20.0, report.Cost.SavingsPercent!.Value, 9);
        Assert.Equal("NEEDS_TUNING", report.Shadow.Recommendation);
    }

    [Fact]
    public async Task BuildAsync_Healthy_ReadyWithReasonsTimeAndFilter()
    {
        var stats = ReadinessEvaluatorTests.Healthy();
        var queries = new FixedQueries(stats);
        var builder = new ReportBuilder(queries, new ReadinessOptions(), new FixedTime());
        var filter = new ReportFilter(Now.AddHours(-1), "gpt-4.1");

        var report = await builder.BuildAsync(filter, CancellationToken.None);

        Assert.Same(filter, queries.LastFilter);
        Assert.Equal(Now, report.GeneratedAt);
        Assert.Equal("READY", report.Shadow.Recommendation);
        Assert.Equal(6, report.Shadow.Reasons.Count);
        Assert.Equal(6, report.Shadow.Rules!.Count);
        Assert.Equal(stats.Compared, report.Shadow.Compared);
        Assert.Equal(stats.MatchRate, report.Shadow.MatchRate);
    }

    [Fact]
    public void Build_InsufficientData_WireName()
    {
        var report = Builder(ReadinessEvaluatorTests.Healthy()).Build(new ReportFilter(), ReadinessEvaluatorTests.Healthy(compared: 3));

        Assert.Equal("INSUFFICIENT_DATA", report.Shadow.Recommendation);
    }

    [Fact]
    public void Build_SerializedCamelCase_HasTheDocumentedFields()
    {
        var report = Builder(ReadinessEvaluatorTests.Healthy()).Build(new ReportFilter(), ReadinessEvaluatorTests.Healthy());

        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var shadow = doc.RootElement.GetProperty("shadow");

        foreach (var name in new[] { "total", "compared", "dropped", "latencyDiffMs", "matchRate", "byModel", "recommendation", "reasons" })
        {
            Assert.True(shadow.TryGetProperty(name, out _), name);
        }

        foreach (var arm in new[] { "primary", "candidate" })
        {
            var a = shadow.GetProperty(arm);
            Assert.True(a.TryGetProperty("successRate", out _));
            Assert.True(a.TryGetProperty("costUsd", out _));
            Assert.Equal(3, a.GetProperty("latencyMs").EnumerateObject().Count(p => p.Name is "p50" or "p95" or "p99"));
            Assert.Equal(3, a.GetProperty("ttftMs").EnumerateObject().Count(p => p.Name is "p50" or "p95" or "p99"));
        }

        Assert.Equal(5, shadow.GetProperty("verdicts").EnumerateObject().Count(p => p.Name is "exact" or "equivalent" or "similar" or "different" or "error"));
        var cost = doc.RootElement.GetProperty("cost");
        Assert.Equal(30.0, cost.GetProperty("savingsPercent").GetDouble(), 9);
        Assert.True(cost.TryGetProperty("primaryUsd", out _));
        Assert.True(cost.TryGetProperty("candidateUsd", out _));
    }
}
