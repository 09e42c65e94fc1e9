using System.Text.Json;
using Migration.Load.Driver;
using Migration.Load.Reports;

namespace Migration.Load.Tests.Reports;

public sealed class ReportWriterTests
{
    private static ScenarioReport SampleReport()
    {
        var stats = new ScenarioStats("s") { Duration = TimeSpan.FromSeconds(2) };
        for (var i = 1; i <= 100; i++)
        {
            stats.Add(Response.Ok(200, 1000), i * 1000, null);
        }

        stats.Add(Response.Fail(503), 5000, null);
        var report = new ScenarioReport { Scenario = "overhead" };
        report.Config["rate"] = 100.0;
        report.Arms["bare"] = ArmSummary.From(stats);
        report.Arms["bare"].WorkingSetMb = 97.5;
        report.Ratios["shadowOff.p50"] = 1.02;
        report.Goals.Add(GoalResult.AtMost("shadow off p50 / bare", 1.02, 1.05, "x"));
        report.Goals.Add(GoalResult.NotRun("wrk", "<= 0.15"));
        return report;
    }

    [Fact]
    public void ToJson_Report_HasTheShapeOfTheIssue()
    {
        using var json = JsonDocument.Parse(ReportWriter.ToJson(SampleReport()));
        var root = json.RootElement;

        Assert.Equal("overhead", root.GetProperty("scenario").GetString());
        Assert.Equal(100, root.GetProperty("config").GetProperty("rate").GetDouble());
        var arm = root.GetProperty("arms").GetProperty("bare");
        Assert.Equal(50, arm.GetProperty("rps").GetDouble());
        Assert.Equal(100, arm.GetProperty("ok").GetInt64());
        Assert.Equal(1, arm.GetProperty("fail").GetInt64());
        var latency = arm.GetProperty("latencyMs");
        Assert.InRange(latency.GetProperty("p50").GetDouble(), 49.8, 50.2);
        Assert.InRange(latency.GetProperty("p90").GetDouble(), 89.7, 90.3);
        Assert.InRange(latency.GetProperty("p99").GetDouble(), 98.6, 99.4);
        Assert.Equal(100, latency.GetProperty("max").GetDouble());
        Assert.False(arm.TryGetProperty("ttftMs", out _));
        Assert.Equal(97.5, arm.GetProperty("workingSetMb").GetDouble());
        Assert.Equal(1, arm.GetProperty("failures").GetProperty("503").GetInt64());
        Assert.Equal(1.02, root.GetProperty("ratios").GetProperty("shadowOff.p50").GetDouble());
        var goals = root.GetProperty("goals");
        Assert.Equal(2, goals.GetArrayLength());
        Assert.Equal("shadow off p50 / bare", goals[0].GetProperty("name").GetString());
        Assert.Equal(1.02, goals[0].GetProperty("value").GetDouble());
        Assert.Equal("<= 1.05x", goals[0].GetProperty("target").GetString());
        Assert.True(goals[0].GetProperty("met").GetBoolean());
        Assert.Equal(JsonValueKind.Null, goals[1].GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, goals[1].GetProperty("met").ValueKind);
    }

    [Fact]
    public void ToJson_ArmWithTtft_WritesTtftPercentiles()
    {
        var stats = new ScenarioStats("s") { Duration = TimeSpan.FromSeconds(1) };
        stats.Add(Response.Ok(), 10_000, 4_000);

        var json = ReportWriter.ToJson(new ScenarioReport { Scenario = "sse", Arms = { ["bare"] = ArmSummary.From(stats) } });

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(4, doc.RootElement.GetProperty("arms").GetProperty("bare").GetProperty("ttftMs").GetProperty("p50").GetDouble());
    }

    [Fact]
    public async Task WriteAsync_Report_WritesJsonAndMarkdownNamedAfterScenario()
    {
        var dir = Path.Combine(Path.GetTempPath(), "load-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (json, md) = await ReportWriter.WriteAsync(SampleReport(), dir);

            Assert.Equal(Path.Combine(dir, "overhead.json"), json);
            Assert.Equal(Path.Combine(dir, "overhead.md"), md);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal("overhead", doc.RootElement.GetProperty("scenario").GetString());
            var markdown = await File.ReadAllTextAsync(md);
            Assert.Contains("| bare | 50.0 | 100 | 1 |", markdown, StringComparison.Ordinal);
            Assert.Contains("| shadow off p50 / bare | 1.02 | <= 1.05x | yes |", markdown, StringComparison.Ordinal);
            Assert.Contains("| wrk | - | <= 0.15 | not run |", markdown, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
