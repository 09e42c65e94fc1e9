using Migration.AspNetCore.Endpoints;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Reporting;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Endpoints;

public sealed class DashboardPageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_NoProvidersSection_NoRecordedPart()
    {
        var html = DashboardPage.Render(Report(), "web-1", "holysheep");

        Assert.DoesNotContain("recorded-providers", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoHealthEvents_SaysSo()
    {
        var html = DashboardPage.Render(Report() with { Providers = ProvidersReport.From([], null) }, "web-1", "holysheep");

        Assert.Contains("<h2>Provider health as recorded</h2>", html, StringComparison.Ordinal);
        Assert.Contains("no health events recorded", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RecordedFailover_RouteCountsAndProviders()
    {
        var providers = new ProvidersReport(
            T0,
            ProvidersReport.RecordedSource,
            null,
            "web-2",
            [
                new ProviderHealthReport("primary", "openai", "unhealthy", T0, T0, 3, 0.25, null, "HTTP 503 <x>"),
                new ProviderHealthReport("candidate", "holysheep", "healthy", T0, T0, 0, 1, 80, null),
            ],
            new FailoverReport(true, T0, "failover: primary openai unhealthy"),
            2,
            5,
            false);

        var html = DashboardPage.Render(Report() with { Providers = providers }, "web-1", "holysheep");

        Assert.Contains("As of 2026-03-01 12:00:00Z (web-2): failover active since 2026-03-01 12:00:00Z; 2 switch(es), 5 status change(s)", html, StringComparison.Ordinal);
        Assert.Contains("failover: primary openai unhealthy", html, StringComparison.Ordinal);
        Assert.Contains("<td>openai</td><td>unhealthy</td>", html, StringComparison.Ordinal);
        Assert.Contains("HTTP 503 &lt;x&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FallbackAttempts_FallbackCardAndTable()
    {
        var fallbacks = new FallbackReport(4, 1, 1, 0.0025m, [new FallbackModelStats("gpt-4.1", "gemini-<2.5>", 2, 1, 1, 0, 0, 0, 0.0005m, 110)]);

        var html = DashboardPage.Render(Report() with { Fallbacks = fallbacks }, "web-1", "holysheep");

        Assert.Contains("<h2>Fallback models on the candidate</h2>", html, StringComparison.Ordinal);
        Assert.Contains("4 request(s) with a chain: 1 served by a fallback model, 1 fell back to the primary; attempts cost $0.0025.", html, StringComparison.Ordinal);
        Assert.Contains("<td>gpt-4.1</td><td>gemini-&lt;2.5&gt;</td><td>2</td><td>1</td><td>1</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"fallbacks\"", DashboardPage.Render(Report(), "web-1", "holysheep"), StringComparison.Ordinal);
    }

    private static MigrationReport Report() =>
        new ReportBuilder(new FakeReportQueries(), new ReadinessOptions(), new FakeClock(T0)).Build(new ReportFilter(), new FakeReportQueries().Stats);
}
