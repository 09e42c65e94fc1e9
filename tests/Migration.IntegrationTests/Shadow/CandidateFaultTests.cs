using Migration.TestKit;
using System.Globalization;
using Migration.IntegrationTests.Stack;
using Migration.Simulator;

namespace Migration.IntegrationTests.Shadow;

/// <summary>
/// Whatever the candidate does (down, slow, hanging, failing, rate limiting, sending garbage), production requests
/// succeed in full, and the shadow results record what went wrong.
/// </summary>
public sealed class CandidateFaultTests
{
    private const int Requests = 12;

    [Theory]
    [InlineData("down", "connection")]
    [InlineData("slow", "timeout")]
    [InlineData("hang", "timeout")]
    [InlineData("server_errors", "server_error")]
    [InlineData("malformed", "malformed_response")]
    [InlineData("truncated", "truncated_stream")]
    public async Task Production_CandidateFault_EveryRequestSucceedsAndRowsRecordTheErrorClass(string fault, string errorClass)
    {
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.Faults = fault switch
        {
            "slow" => new FaultSettings { ExtraLatencyMs = 10_000 },
            "hang" => new FaultSettings { HangRate = 1, HangMs = 60_000 },
            "server_errors" => new FaultSettings { Error500Rate = 1 },
            "malformed" => new FaultSettings { MalformedRate = 1 },
            "truncated" => new FaultSettings { TruncateRate = 1 },
            _ => FaultSettings.None,
        };
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Candidate = candidate,
            Settings = { ["Migration:Shadow:Timeout"] = "00:00:01" },
        });
        if (fault == "down")
        {
            await stack.StopCandidateAsync();
        }

        await ProductionTraffic.SendSequentialAsync(stack, Requests, Request(fault));

        await stack.WaitForShadowRowsAsync(Requests);
        var classes = await ErrorClassesAsync(stack);
        Assert.Equal($"error/{errorClass}={Requests}", classes);
        Assert.Equal(0, await stack.ScalarAsync<long>("SELECT count(*) FROM shadow_results WHERE primary_status <> 200 OR error IS NULL"));
    }

    [Fact]
    public async Task Production_CandidateRateLimitStorm_CandidateNotHammeredAndDropsCounted()
    {
        const int production = 40;
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.Faults = new FaultSettings { Error429Rate = 1, RetryAfterSeconds = 30 };
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Candidate = candidate,
            Settings = { ["Migration:Shadow:Workers"] = "2" },
        });

        await ProductionTraffic.SendSequentialAsync(stack, production);

        // Every sampled exchange is either a row or a counted drop (traffic buckets are flushed each second).
        const string Sampled = "SELECT coalesce(sum(shadow_sampled), 0) FROM traffic_buckets";
        const string Dropped = "SELECT coalesce(sum(shadow_dropped), 0) FROM traffic_buckets";
        await Eventually.UntilAsync(
            "rows + dropped == sampled == production",
            async () => await stack.ScalarAsync<long>(Sampled) == production
                && await stack.CountShadowRowsAsync() + await stack.ScalarAsync<long>(Dropped) == production,
            describe: async () =>
            {
                var sampled = await stack.ScalarAsync<long>(Sampled);
                var dropped = await stack.ScalarAsync<long>(Dropped);
                var rows = await stack.CountShadowRowsAsync();
                return string.Create(CultureInfo.InvariantCulture, $"sampled {sampled}, dropped {dropped}, rows {rows}");
            });

        var candidateRequests = stack.Candidate!.Stats.GetRouteCount(SimulatorStats.ChatRoute) + stack.Candidate.Stats.GetRouteCount(SimulatorStats.EmbeddingsRoute);
        Assert.InRange(candidateRequests, 1, 4); // at most one 429 per worker before the pause holds everything
        Assert.Equal($"error/rate_limited={candidateRequests}", await ErrorClassesAsync(stack));
        Assert.Equal(production - candidateRequests, await stack.ScalarAsync<long>(Dropped));

        var status = await stack.GetStatusAsync();
        Assert.Equal(production - candidateRequests, status.GetProperty("shadow").GetProperty("dropped").GetProperty("paused").GetInt64());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, status.GetProperty("shadow").GetProperty("pausedUntil").ValueKind);
        var report = await stack.GetReportAsync();
        Assert.Equal(production - candidateRequests, report.GetProperty("shadow").GetProperty("dropped").GetInt64());
    }

    private static Func<int, (string Route, string Body)> Request(string fault) => fault switch
    {
        // Streams only: a JSON answer the simulator cuts (half a body, then an abort) may be reset before its
        // headers reach the client, which is rightly a connection error, not a truncated stream.
        "truncated" => i => (OpenAIRequests.ChatRoute, OpenAIRequests.ChatStream(OpenAIRequests.Prompt(i))),
        _ => ProductionTraffic.Mixed,
    };

    /// <summary>"verdict/class=count" per distinct pair, ordered, joined with ", ".</summary>
    private static async Task<string> ErrorClassesAsync(MigrationStack stack)
    {
        await using var connection = await stack.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT verdict || '/' || candidate_error_class || '=' || count(*) FROM shadow_results GROUP BY verdict, candidate_error_class ORDER BY 1",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await reader.ReadAsync())
        {
            parts.Add(reader.GetString(0));
        }

        return string.Join(", ", parts);
    }
}
