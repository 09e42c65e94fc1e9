using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

public sealed class ReportTextWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => T0;
    }

    [Fact]
    public void Render_NoProvidersSection_NoProvidersPart()
    {
        var text = ReportTextWriter.Render(Report());

        Assert.DoesNotContain("providers", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FallbackAttempts_FallbackPartWithTotalsAndPerModelRows()
    {
        var fallbacks = new FallbackReport(4, 1, 1, 0.0025m,
        [
            new FallbackModelStats("gpt-4.1", "gpt-4.1", 4, 1, 2, 1, 0, 0, 0.002m, 32.5),
            new FallbackModelStats("gpt-4.1", "gemini-2.5-flash", 2, 1, 1, 0, 0, 0, 0.0005m, 110),
        ]);

        var text = ReportTextWriter.Render(Report() with { Fallbacks = fallbacks });

        Assert.Contains("  fallback models: 4 request(s) with a chain, 1 served by a fallback model, 1 fell back to the primary, attempts cost $0.0025\n", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("  requested", StringComparison.Ordinal) && l.Contains("next model", StringComparison.Ordinal) && l.Contains("cost USD", StringComparison.Ordinal));
        var gemini = Assert.Single(lines, l => l.Contains("gemini-2.5-flash", StringComparison.Ordinal));
        Assert.Equal(["gpt-4.1", "gemini-2.5-flash", "2", "1", "1", "0", "0", "0", "110.0", "0.0005"], gemini.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("fallback models", ReportTextWriter.Render(Report()), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoHealthEvents_SaysSo()
    {
        var text = ReportTextWriter.Render(Report() with { Providers = ProvidersReport.From([], null) });

        Assert.Contains("  providers      : " + ProvidersReport.NoEventsNote + "\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FailoverActive_ProvidersPartWithRouteCountsAndTable()
    {
        var providers = new ProvidersReport(
            T0,
            ProvidersReport.RecordedSource,
            null,
            "web-1",
            [
                new ProviderHealthReport("primary", "openai", "unhealthy", T0.AddSeconds(-5), T0, 3, 0.25, null, "HTTP 503"),
                new ProviderHealthReport("candidate", "holysheep", "healthy", T0.AddMinutes(-10), T0, 0, 1, 80.5, null),
            ],
            new FailoverReport(true, T0, "failover: primary openai unhealthy"),
            1,
            4,
            false);

        var text = ReportTextWriter.Render(Report() with { Providers = providers });

        Assert.Contains("  providers      : as recorded at 2026-03-01 12:00:00Z by web-1 (live state: GET /migration/status)\n", text, StringComparison.Ordinal);
        Assert.Contains("  failover       : ACTIVE, primary-arm traffic on the candidate since 2026-03-01 12:00:00Z: failover: primary openai unhealthy\n", text, StringComparison.Ordinal);
        Assert.Contains("  health events  : 1 switch(es), 4 status change(s) in the report's window\n", text, StringComparison.Ordinal);
        var primaryRow = text.Split('\n').Single(l => l.StartsWith("  primary ", StringComparison.Ordinal) && l.Contains("openai", StringComparison.Ordinal));
        Assert.Contains("unhealthy", primaryRow, StringComparison.Ordinal);
        Assert.Contains("25.0 %", primaryRow, StringComparison.Ordinal);
        Assert.EndsWith("HTTP 503", primaryRow, StringComparison.Ordinal);
        Assert.Contains("80.5", text.Split('\n').Single(l => l.Contains("holysheep", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static MigrationReport Report() =>
        new ReportBuilder(new NoQueries(), new ReadinessOptions(), new FixedTime()).Build(new ReportFilter(), ReadinessEvaluatorTests.Healthy());

    private sealed class NoQueries : IReportQueries
    {
        public Task<ShadowStats> GetShadowStatsAsync(ReportFilter filter, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
