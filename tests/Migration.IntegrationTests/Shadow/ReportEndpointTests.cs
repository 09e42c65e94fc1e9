using System.Globalization;
using System.Net;
using System.Text.Json;
using Migration.IntegrationTests.Stack;

namespace Migration.IntegrationTests.Shadow;

/// <summary>
/// <c>GET /migration/report</c> after a seeded run: every figure equals what the test computes itself from the
/// stored rows and its own price table; the key, the filters and bad input behave.
/// </summary>
public sealed class ReportEndpointTests : IClassFixture<SeededShadowRun>
{
    private const double Tolerance = 1e-9;
    private readonly SeededShadowRun _run;

    public ReportEndpointTests(SeededShadowRun run) => _run = run;

    [Fact]
    public async Task Report_SeededRun_FiguresEqualIndependentComputation()
    {
        var rows = await _run.ReadRowsAsync();
        var report = await _run.Stack.GetReportAsync();
        var shadow = report.GetProperty("shadow");

        Assert.Equal(SeededShadowRun.Requests, rows.Count);
        AssertFigures(rows, shadow);
        Assert.Equal(0, shadow.GetProperty("dropped").GetInt64());

        // Costs: recomputed from tokens and the configured prices (candidate: its mapped model, discounted), as stored.
        var primaryCost = 0m;
        var candidateCost = 0m;
        foreach (var row in rows)
        {
            var expectedPrimary = Cost(row.PrimaryModel, row.PrimaryTokensIn, row.PrimaryTokensOut, 1m);
            var expectedCandidate = Cost(row.CandidateModel, row.CandidateTokensIn, row.CandidateTokensOut, 1m - (decimal)SeededShadowRun.CandidateDiscount);
            Assert.Equal(expectedPrimary, row.PrimaryCostUsd!.Value);
            Assert.Equal(expectedCandidate, row.CandidateCostUsd!.Value);
            primaryCost += expectedPrimary;
            candidateCost += expectedCandidate;
        }

        var cost = report.GetProperty("cost");
        Assert.Equal(primaryCost, cost.GetProperty("primaryUsd").GetDecimal());
        Assert.Equal(candidateCost, cost.GetProperty("candidateUsd").GetDecimal());
        Assert.Equal(primaryCost, shadow.GetProperty("primary").GetProperty("costUsd").GetDecimal());
        Assert.Equal(candidateCost, shadow.GetProperty("candidate").GetProperty("costUsd").GetDecimal());
        AssertClose((double)((primaryCost - candidateCost) / primaryCost * 100m), cost.GetProperty("savingsPercent").GetDouble(), "savingsPercent");

        // Per model, the same figures over that model's rows.
        var byModel = shadow.GetProperty("byModel").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        Assert.Equal(["gpt-4.1", SeededShadowRun.MappedModel], byModel.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SeededShadowRun.MappedTo, byModel[SeededShadowRun.MappedModel].GetProperty("candidateModel").GetString());
        foreach (var (model, figures) in byModel)
        {
            AssertFigures([.. rows.Where(r => r.PrimaryModel == model)], figures);
        }

        // The seeded agreement shows: most prompts, not all, are answered the same.
        var exact = shadow.GetProperty("verdicts").GetProperty("exact").GetInt64();
        Assert.InRange(exact / (double)SeededShadowRun.Requests, 0.65, 0.95);
        // The seeded run mirrors no noise floor (primary vs primary), so agreement cannot be judged: never a silent pass.
        Assert.Equal("INSUFFICIENT_DATA", shadow.GetProperty("recommendation").GetString());
        Assert.Contains(shadow.GetProperty("reasons").EnumerateArray(), r => r.ToString().Contains("noise-floor samples", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_NoKey_401ProblemDetails()
    {
        using var response = await _run.Stack.Http.GetAsync("/migration/report");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("\"shadow\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_WrongKey_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/migration/report");
        request.Headers.Add("X-Migration-Key", StackKeys.Admin + "x");

        using var response = await _run.Stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Report_BearerKey_200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/migration/report");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", StackKeys.Admin);

        using var response = await _run.Stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Report_SinceNotATime_400ProblemDetailsNamingSince()
    {
        using var response = await _run.Stack.Admin.GetAsync("/migration/report?since=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("since", out _));
    }

    [Fact]
    public async Task Report_ModelFilter_OnlyThatModelsRows()
    {
        var rows = await _run.ReadRowsAsync();

        var shadow = (await _run.Stack.GetReportAsync("?model=" + SeededShadowRun.MappedModel)).GetProperty("shadow");

        var expected = rows.Where(r => r.PrimaryModel == SeededShadowRun.MappedModel).ToList();
        Assert.Equal(SeededShadowRun.Requests / 2, expected.Count);
        AssertFigures(expected, shadow);
        Assert.Equal(SeededShadowRun.MappedModel, Assert.Single(shadow.GetProperty("byModel").EnumerateArray()).GetProperty("model").GetString());
        Assert.Equal(0, (await _run.Stack.GetReportAsync("?model=no-such-model")).GetProperty("shadow").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Report_SinceFilter_CountsRowsFromThatTimeOn()
    {
        var rows = await _run.ReadRowsAsync();
        var middle = rows.Select(r => r.Time).Order().ElementAt(rows.Count / 2);

        var fromMiddle = (await _run.Stack.GetReportAsync("?since=" + Iso(middle))).GetProperty("shadow");
        var fromStart = (await _run.Stack.GetReportAsync("?since=" + Iso(_run.StartedAt.AddSeconds(-1)))).GetProperty("shadow");
        var lastHour = (await _run.Stack.GetReportAsync("?since=1h")).GetProperty("shadow");
        var afterRun = (await _run.Stack.GetReportAsync("?since=" + Iso(_run.FinishedAt.AddSeconds(1)))).GetProperty("shadow");

        AssertFigures([.. rows.Where(r => r.Time >= middle)], fromMiddle);
        Assert.Equal(rows.Count, fromStart.GetProperty("total").GetInt64());
        Assert.Equal(rows.Count, lastHour.GetProperty("total").GetInt64());
        Assert.Equal(0, afterRun.GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, afterRun.GetProperty("matchRate").ValueKind);
    }

    /// <summary>Counts, rates and percentiles of <paramref name="figures"/> (a shadow report or a byModel entry) against the rows.</summary>
    private static void AssertFigures(IReadOnlyList<StoredShadowRow> rows, JsonElement figures)
    {
        var compared = rows.Where(r => r.Verdict != "error").ToList();
        var verdicts = figures.GetProperty("verdicts");
        Assert.Equal(rows.Count, figures.GetProperty("total").GetInt64());
        Assert.Equal(compared.Count, figures.GetProperty("compared").GetInt64());
        foreach (var verdict in new[] { "exact", "equivalent", "similar", "different", "error" })
        {
            Assert.Equal(rows.Count(r => r.Verdict == verdict), verdicts.GetProperty(verdict).GetInt64());
        }

        var matched = compared.Count(r => r.Verdict is "exact" or "equivalent" or "similar");
        AssertClose(matched / (double)compared.Count, figures.GetProperty("matchRate").GetDouble(), "matchRate");

        var primary = figures.GetProperty("primary");
        var candidate = figures.GetProperty("candidate");
        AssertClose(rows.Count(r => r.PrimaryStatus is >= 200 and < 300) / (double)rows.Count, primary.GetProperty("successRate").GetDouble(), "primary.successRate");
        AssertClose(
            rows.Count(r => r.CandidateStatus is >= 200 and < 300 && r.CandidateErrorClass == "none") / (double)rows.Count,
            candidate.GetProperty("successRate").GetDouble(),
            "candidate.successRate");
        AssertPercentiles(rows.Select(r => (double?)r.PrimaryLatencyMs), primary.GetProperty("latencyMs"), "primary.latencyMs");
        AssertPercentiles(rows.Select(r => r.CandidateLatencyMs), candidate.GetProperty("latencyMs"), "candidate.latencyMs");
        AssertPercentiles(rows.Select(r => r.PrimaryTtftMs), primary.GetProperty("ttftMs"), "primary.ttftMs");
        AssertPercentiles(rows.Select(r => r.CandidateTtftMs), candidate.GetProperty("ttftMs"), "candidate.ttftMs");
        Assert.Equal(rows.Sum(r => (long)(r.PrimaryTokensIn ?? 0)), primary.GetProperty("tokensIn").GetInt64());
        Assert.Equal(rows.Sum(r => (long)(r.CandidateTokensOut ?? 0)), candidate.GetProperty("tokensOut").GetInt64());

        if (figures.TryGetProperty("latencyDiffMs", out var diff))
        {
            var differences = compared.Where(r => r.CandidateLatencyMs is not null).Select(r => (double?)(r.CandidateLatencyMs!.Value - r.PrimaryLatencyMs));
            AssertClose(PercentileCont(differences, 0.5)!.Value, diff.GetDouble(), "latencyDiffMs");
        }
    }

    private static void AssertPercentiles(IEnumerable<double?> values, JsonElement percentiles, string what)
    {
        var list = values.ToList();
        AssertClose(PercentileCont(list, 0.50)!.Value, percentiles.GetProperty("p50").GetDouble(), what + ".p50");
        AssertClose(PercentileCont(list, 0.95)!.Value, percentiles.GetProperty("p95").GetDouble(), what + ".p95");
        AssertClose(PercentileCont(list, 0.99)!.Value, percentiles.GetProperty("p99").GetDouble(), what + ".p99");
    }

    /// <summary>PostgreSQL's <c>percentile_cont</c>: nulls ignored, linear interpolation between the two closest ranks.</summary>
    private static double? PercentileCont(IEnumerable<double?> values, double fraction)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private static decimal Cost(string model, int? tokensIn, int? tokensOut, decimal factor)
    {
        var (input, output) = SeededShadowRun.Prices[model];
        var exact = (((tokensIn ?? 0) * input * factor) + ((tokensOut ?? 0) * output * factor)) / 1_000_000m;

        // The columns are numeric(24,12): PostgreSQL rounds to 12 decimals, half away from zero.
        return Math.Round(exact, 12, MidpointRounding.AwayFromZero);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(
            Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)),
            string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, report says {actual:R}"));

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
}
