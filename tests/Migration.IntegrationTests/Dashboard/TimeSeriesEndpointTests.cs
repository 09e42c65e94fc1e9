using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Migration.IntegrationTests.Canary;
using Migration.IntegrationTests.Stack;
using Migration.TestKit;

namespace Migration.IntegrationTests.Dashboard;

/// <summary><c>GET /migration/timeseries</c> on a running stack: agrees with the report over the same window; bad input is refused.</summary>
public sealed class TimeSeriesEndpointTests
{
    private const int Requests = 45;

    [Fact]
    public async Task Timeseries_AfterShadowAndCanaryTraffic_TotalsAgreeWithReportOverTheSameWindow()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Settings = CanaryNode.Settings(TimeSpan.FromSeconds(1), new Dictionary<string, string?>
            {
                ["Migration:Shadow:Enabled"] = "true",
                ["Migration:Shadow:SampleRate"] = "1",
            }),
        });
        (await stack.Admin.PostAsync("/migration/canary/start", Json("""{"reason":"timeseries test"}"""))).EnsureSuccessStatusCode();
        (await stack.Admin.PostAsync("/migration/canary/set-weight", Json("""{"weight":25}"""))).EnsureSuccessStatusCode();

        await ProductionTraffic.SendSequentialAsync(stack, Requests);
        await stack.WaitForQuietAsync();
        JsonElement series = default;
        await Eventually.UntilAsync(
            $"{Requests} live requests in the time series",
            async () =>
            {
                series = await GetSeriesAsync(stack, "?since=15m&step=10s");
                return LiveRequests(series) == Requests;
            },
            describe: () => Task.FromResult(series.ValueKind == JsonValueKind.Undefined ? "(none)" : series.GetProperty("totals").GetRawText()));

        var from = series.GetProperty("from").GetDateTimeOffset();
        var report = await stack.GetReportAsync("?since=" + Uri.EscapeDataString(from.ToString("o", CultureInfo.InvariantCulture)));

        // The same buckets: every arm's requests (shadow calls included) and the shadow drops.
        var totals = series.GetProperty("totals");
        Assert.Equal(report.GetProperty("cost").GetProperty("priced").GetProperty("observedRequests").GetInt64(), totals.GetProperty("requests").GetInt64());
        Assert.Equal(report.GetProperty("shadow").GetProperty("dropped").GetInt64(), totals.GetProperty("shadowDropped").GetInt64());
        var arms = series.GetProperty("arms");
        Assert.True(arms.TryGetProperty("primary", out var primary));
        Assert.True(arms.TryGetProperty("canary", out var canary), "25 % of the live traffic went to the canary");
        Assert.True(arms.TryGetProperty("shadow", out var shadow), "primary-served requests were mirrored");
        // Shadow calls in the buckets are the mirrored exchanges the report counts as shadow rows.
        Assert.Equal(report.GetProperty("shadow").GetProperty("total").GetInt64(), shadow.GetProperty("totals").GetProperty("requests").GetInt64());

        var points = series.GetProperty("time").GetArrayLength();
        foreach (var arm in new[] { primary, canary, shadow })
        {
            var perSlot = arm.GetProperty("requests").EnumerateArray().Select(v => v.GetInt64()).ToList();
            Assert.Equal(points, perSlot.Count);
            Assert.Equal(arm.GetProperty("totals").GetProperty("requests").GetInt64(), perSlot.Sum());
            var p99 = arm.GetProperty("latencyP99Ms").EnumerateArray().ToList();
            for (var i = 0; i < points; i++)
            {
                // A latency where there was traffic, a gap where there was none.
                Assert.Equal(perSlot[i] > 0, p99[i].ValueKind == JsonValueKind.Number);
            }
        }

        var weights = series.GetProperty("canary").GetProperty("weight").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(25, weights[^1]);
        var kinds = series.GetProperty("canary").GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["start", "set_weight"], kinds);

        var grafana = await stack.Admin.GetFromJsonAsync<JsonElement>("/migration/timeseries?since=15m&step=10s&format=grafana");
        var targets = grafana.EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        Assert.Equal(points, targets["primary requests/s"].GetProperty("datapoints").GetArrayLength());
        Assert.Equal(25, targets["canary weight %"].GetProperty("datapoints")[points - 1][0].GetDouble());
    }

    [Fact]
    public async Task Timeseries_BadInputOrNoKey_ProblemDetails()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = CanaryNode.Settings(TimeSpan.FromSeconds(5)) });

        foreach (var (query, parameter) in new[] { ("?step=10x", "step"), ("?since=24h&step=1s", "step"), ("?since=tomorrow", "since"), ("?format=csv", "format") })
        {
            using var response = await stack.Admin.GetAsync("/migration/timeseries" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{query}: {problem}");
        }

        using var anonymous = await stack.Http.GetAsync("/migration/timeseries");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static long LiveRequests(JsonElement series)
    {
        long n = 0;
        foreach (var arm in new[] { "primary", "canary", "failover" })
        {
            if (series.GetProperty("arms").TryGetProperty(arm, out var a))
            {
                n += a.GetProperty("totals").GetProperty("requests").GetInt64();
            }
        }

        return n;
    }

    private static async Task<JsonElement> GetSeriesAsync(MigrationStack stack, string query)
    {
        using var response = await stack.Admin.GetAsync("/migration/timeseries" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /migration/timeseries{query} answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
