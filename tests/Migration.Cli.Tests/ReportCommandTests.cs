using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Migration.Core.Reporting;
using Migration.Postgres.Canary;
using Migration.Postgres.Reporting;
using Migration.Postgres.Storage;
using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class ReportCommandTests : IAsyncLifetime
{
    // What the report endpoint serialises with (MigrationEndpoints.JsonOptions), written out here on purpose:
    // if either side changes its settings, this test says so.
    private static readonly JsonSerializerOptions EndpointJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private TestDatabase _db = null!;
    private CliRun _cli = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("cli_report");
        _cli = new CliRun(_db.ConnectionString);

        // 150 rows over 150 minutes before T0: two models, every tenth one different.
        await _db.ScalarAsync<int>(
            "INSERT INTO shadow_results (time, request_id, route, primary_model, candidate_model, streamed, primary_status, candidate_status, " +
            "primary_latency_ms, candidate_latency_ms, primary_ttft_ms, candidate_ttft_ms, primary_tokens_in, primary_tokens_out, candidate_tokens_in, " +
            "candidate_tokens_out, primary_cost_usd, candidate_cost_usd, match_score, verdict, candidate_error_class, instance) " +
            "SELECT timestamptz '2025-06-02 09:00:00+00' - make_interval(mins => g), 'r' || g, '/v1/chat/completions', " +
            "CASE WHEN g % 3 = 0 THEN 'gpt-4o' ELSE 'gpt-4.1' END, 'hs-model', false, 200, 200, 100 + g, 90 + g, 20, 25, 10, 20, 10, 21, " +
            "0.001, 0.0005, CASE WHEN g % 10 = 0 THEN 0.2 ELSE 1 END, CASE WHEN g % 10 = 0 THEN 'different' ELSE 'exact' END, 'none', 'test' " +
            "FROM generate_series(1, 150) g RETURNING 1");

        // Health events as AddMigrationHealth records them: the primary went down 3 h before T0 (outside "1h" and the
        // 07:00 window), traffic failed over 30 min before T0 (inside both).
        var eventTime = new FakeClock(CliRun.T0.AddHours(-3));
        await using var store = PostgresCanaryStore.Create(_db.ConnectionString, eventTime);
        await store.RecordEventAsync("default", HealthEventMetrics.Actor, "primary (openai): healthy -> unhealthy after 3 consecutive failures: HTTP 503", new HealthEventMetrics
        {
            Kind = HealthEventMetrics.StatusKind,
            Role = "primary",
            From = "healthy",
            To = "unhealthy",
            Instance = "web-1",
            FailoverActive = false,
            Primary = new HealthEventProvider { Name = "openai", Status = "unhealthy", Since = eventTime.GetUtcNow(), ConsecutiveFailures = 3, LastError = "HTTP 503" },
            Candidate = new HealthEventProvider { Name = "holysheep", Status = "healthy", Since = eventTime.GetUtcNow(), SuccessRate = 1, AverageLatencyMs = 80 },
        }.ToJson(), CancellationToken.None);
        eventTime.Advance(TimeSpan.FromMinutes(150));
        await store.RecordEventAsync("default", HealthEventMetrics.Actor, "failover: primary openai unhealthy", new HealthEventMetrics
        {
            Kind = HealthEventMetrics.FailoverKind,
            Direction = HealthEventMetrics.ToCandidate,
            Instance = "web-1",
            Primary = new HealthEventProvider { Name = "openai", Status = "unhealthy", Since = CliRun.T0.AddHours(-3), ConsecutiveFailures = 9, LastError = "HTTP 503" },
            Candidate = new HealthEventProvider { Name = "holysheep", Status = "healthy", Since = CliRun.T0.AddHours(-3), SuccessRate = 1, AverageLatencyMs = 80 },
        }.ToJson(), CancellationToken.None);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Theory]
    [InlineData(null, null)]
    [InlineData("1h", null)]
    [InlineData(null, "gpt-4o")]
    [InlineData("2025-06-02T07:00:00Z", "gpt-4.1")]
    public async Task RunAsync_Json_EqualsReportBuilderOutputOnSameData(string? since, string? model)
    {
        var args = new List<string> { "report", "--json" };
        if (since is not null)
        {
            args.AddRange(["--since", since]);
        }

        if (model is not null)
        {
            args.AddRange(["--model", model]);
        }

        var result = await _cli.RunAsync([.. args]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var filter = new ReportFilter(
            since is null ? null : since.EndsWith('h') ? CliRun.T0.AddHours(-1) : DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture),
            model);
        await using var dataSource = new MigrationDataSource(_db.ConnectionString);
        await using var store = PostgresCanaryStore.Create(_db.ConnectionString, _cli.Time);
        var expected = await new ReportBuilder(new PostgresReportQueries(dataSource), new ReadinessOptions(), _cli.Time, store, "default", null).BuildAsync(filter, CancellationToken.None);
        var expectedJson = JsonNode.Parse(JsonSerializer.Serialize(expected, EndpointJson));
        var actualJson = JsonNode.Parse(result.Out);
        Assert.True(JsonNode.DeepEquals(expectedJson, actualJson), $"expected:\n{expectedJson}\nactual:\n{actualJson}");
        Assert.True(expected.Shadow.Total > 0);
        Assert.Equal("idle", actualJson!["canary"]!["state"]!.GetValue<string>());

        // The providers section, read from the recorded health events: the route holds whatever the window.
        var providers = actualJson["providers"]!;
        Assert.True(providers["failover"]!["active"]!.GetValue<bool>());
        Assert.Equal(CliRun.T0.AddMinutes(-30), providers["asOf"]!.GetValue<DateTimeOffset>());
        Assert.Equal("unhealthy", providers["providers"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(9, providers["providers"]![0]!["consecutiveFailures"]!.GetValue<int>());
        Assert.Equal(1, providers["switches"]!.GetValue<int>());
        Assert.Equal(since is null ? 1 : 0, providers["statusChanges"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunAsync_Json_WindowWithoutHealthEvents_StillShowsLastRecordedState()
    {
        var result = await _cli.RunAsync("report", "--json", "--since", "10m");

        Assert.True(result.ExitCode == 0, result.ToString());
        var providers = JsonNode.Parse(result.Out)!["providers"]!;
        Assert.Equal(0, providers["switches"]!.GetValue<int>());
        Assert.True(providers["failover"]!["active"]!.GetValue<bool>());
        Assert.Equal("web-1", providers["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_Json_NoHealthEvents_ProvidersSectionSaysSo()
    {
        await _db.ScalarAsync<int>("WITH d AS (DELETE FROM canary_events WHERE actor = 'health' RETURNING 1) SELECT count(*)::int FROM d");

        var result = await _cli.RunAsync("report", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var providers = JsonNode.Parse(result.Out)!["providers"]!;
        Assert.Empty(providers["providers"]!.AsArray());
        Assert.Equal(ProvidersReport.NoEventsNote, providers["note"]!.GetValue<string>());
        Assert.Null(providers["failover"]);
    }

    [Fact]
    public async Task RunAsync_Text_RenderedByReportTextWriter()
    {
        var result = await _cli.RunAsync("report");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Shadow test report", result.Out, StringComparison.Ordinal);
        Assert.Contains("recommendation : INSUFFICIENT_DATA", result.Out, StringComparison.Ordinal); // the seeded rows have no noise floor: never a silent pass
        Assert.Contains("noise-floor samples", result.Out, StringComparison.Ordinal);
        Assert.Contains("canary         : idle at 0 %", result.Out, StringComparison.Ordinal);
        Assert.Contains("150 mirrored, 150 compared", result.Out, StringComparison.Ordinal);
        Assert.Contains("gpt-4o", result.Out, StringComparison.Ordinal);
        Assert.Contains("  providers      : as recorded at 2025-06-02 08:30:00Z by web-1", result.Out, StringComparison.Ordinal);
        Assert.Contains("  failover       : ACTIVE, primary-arm traffic on the candidate since 2025-06-02 08:30:00Z: failover: primary openai unhealthy", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConfigReadiness_UsesItsThresholds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cli-readiness-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            {
              // comments are allowed, as in appsettings.json
              "Migration": { "Readiness": { "MinCompared": 1000 } }
            }
            """);
        try
        {
            var result = await _cli.RunAsync("report", "--config", path, "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Out);
            Assert.Equal("INSUFFICIENT_DATA", json.RootElement.GetProperty("shadow").GetProperty("recommendation").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RunAsync_BadSince_ExitsTwo()
    {
        var result = await _cli.RunAsync("report", "--since", "yesterday");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since 'yesterday' is neither a duration", result.Error, StringComparison.Ordinal);
        Assert.Contains("usage: migrationctl report", result.Error, StringComparison.Ordinal);
    }
}
