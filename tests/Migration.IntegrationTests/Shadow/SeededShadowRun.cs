using System.Globalization;
using Migration.IntegrationTests.Stack;
using Npgsql;

namespace Migration.IntegrationTests.Shadow;

/// <summary>
/// One seeded shadow run shared by the report tests: 200 requests over two models (half streamed) against a primary
/// and a candidate with different latency distributions and an 80 % agreement rate, with a price table of our own.
/// </summary>
public sealed class SeededShadowRun : IAsyncLifetime
{
    public const int Requests = 200;
    public const double CandidateDiscount = 0.25;

    /// <summary>USD per million tokens (input, output) configured for the run, keyed by model.</summary>
    public static readonly IReadOnlyDictionary<string, (decimal Input, decimal Output)> Prices = new Dictionary<string, (decimal, decimal)>
    {
        ["gpt-4.1"] = (2.00m, 8.00m),
        ["gpt-4.1-mini"] = (0.40m, 1.60m),
        ["gpt-4o-mini"] = (0.15m, 0.60m),
    };

    /// <summary>The primary model the candidate serves under another name.</summary>
    public const string MappedModel = "gpt-4.1-mini";

    public const string MappedTo = "gpt-4o-mini";

    internal MigrationStack Stack { get; private set; } = null!;

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset FinishedAt { get; private set; }

    public async Task InitializeAsync()
    {
        var primary = MigrationStackOptions.DefaultPrimary();
        primary.TtftMedianMs = 4;
        primary.TtftP99Ms = 25;
        primary.ChunkDelayMedianMs = 1;
        primary.ChunkDelayP99Ms = 4;
        var candidate = MigrationStackOptions.DefaultCandidate();
        candidate.AgreementRate = 0.8;
        candidate.TtftMedianMs = 2;
        candidate.TtftP99Ms = 15;
        candidate.ChunkDelayMedianMs = 1;
        candidate.ChunkDelayP99Ms = 3;

        var settings = new Dictionary<string, string?>
        {
            ["Migration:CandidateDiscount"] = CandidateDiscount.ToString(CultureInfo.InvariantCulture),
            [$"Migration:Candidate:ModelMap:{MappedModel}"] = MappedTo,
            ["Migration:Readiness:MinCompared"] = "50",
        };
        foreach (var (model, (input, output)) in Prices)
        {
            settings[$"Migration:Pricing:{model}:InputPerMTok"] = input.ToString(CultureInfo.InvariantCulture);
            settings[$"Migration:Pricing:{model}:OutputPerMTok"] = output.ToString(CultureInfo.InvariantCulture);
        }

        Stack = await MigrationStack.StartAsync(new MigrationStackOptions { Primary = primary, Candidate = candidate, Settings = settings });
        StartedAt = await ServerNowAsync();
        await ProductionTraffic.SendConcurrentAsync(Stack, Requests, concurrency: 8, Request);
        await Stack.WaitForShadowRowsAsync(Requests);
        await Stack.WaitForQuietAsync();
        FinishedAt = await ServerNowAsync();
    }

    public Task DisposeAsync() => Stack.DisposeAsync().AsTask();

    /// <summary>Request <paramref name="i"/>: models alternate in pairs, every other request streamed.</summary>
    internal static (string Route, string Body) Request(int i)
    {
        var model = (i / 2) % 2 == 0 ? "gpt-4.1" : MappedModel;
        var prompt = OpenAIRequests.Prompt(i);
        return (OpenAIRequests.ChatRoute, i % 2 == 0 ? OpenAIRequests.Chat(prompt, model) : OpenAIRequests.ChatStream(prompt, model));
    }

    /// <summary>Every stored row, as the test reads it (not through the harness).</summary>
    internal async Task<List<StoredShadowRow>> ReadRowsAsync()
    {
        await using var connection = await Stack.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT time, primary_model, candidate_model, streamed, primary_status, candidate_status, candidate_error_class, verdict,
                   primary_latency_ms, candidate_latency_ms, primary_ttft_ms, candidate_ttft_ms,
                   primary_tokens_in, primary_tokens_out, candidate_tokens_in, candidate_tokens_out,
                   primary_cost_usd, candidate_cost_usd
            FROM shadow_results ORDER BY id
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredShadowRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredShadowRow(
                reader.GetFieldValue<DateTimeOffset>(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetBoolean(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetDouble(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetDouble(10),
                reader.IsDBNull(11) ? null : reader.GetDouble(11),
                reader.IsDBNull(12) ? null : reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetInt32(13),
                reader.IsDBNull(14) ? null : reader.GetInt32(14),
                reader.IsDBNull(15) ? null : reader.GetInt32(15),
                reader.IsDBNull(16) ? null : reader.GetDecimal(16),
                reader.IsDBNull(17) ? null : reader.GetDecimal(17)));
        }

        return rows;
    }

    // Rows are stamped by the app with the system clock of this machine.
    private static Task<DateTimeOffset> ServerNowAsync() => Task.FromResult(TimeProvider.System.GetUtcNow());
}

/// <summary>One <c>shadow_results</c> row.</summary>
internal sealed record StoredShadowRow(
    DateTimeOffset Time,
    string PrimaryModel,
    string CandidateModel,
    bool Streamed,
    int PrimaryStatus,
    int? CandidateStatus,
    string CandidateErrorClass,
    string Verdict,
    double PrimaryLatencyMs,
    double? CandidateLatencyMs,
    double? PrimaryTtftMs,
    double? CandidateTtftMs,
    int? PrimaryTokensIn,
    int? PrimaryTokensOut,
    int? CandidateTokensIn,
    int? CandidateTokensOut,
    decimal? PrimaryCostUsd,
    decimal? CandidateCostUsd);
