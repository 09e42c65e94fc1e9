using System.Diagnostics;
using System.Globalization;
using System.Text;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.Storage;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Migrations;
using Migration.Postgres.Entities;
using Migration.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>recorder</c>: the same shadow_results rows written three ways in batches of 1000: binary COPY (the harness's
/// writer, <see cref="RecordCopy"/>), multi-row parameterised INSERT, and EF Core SaveChanges. Methods alternate
/// in rounds; the table is emptied before each run. Rows per second per method; batch latencies as percentiles.
/// </summary>
internal sealed class RecorderScenario : ILoadScenario
{
    private const int BatchSize = 1000;

    private static readonly string[] Columns =
    [
        "time", "request_id", "route", "primary_model", "candidate_model", "streamed", "primary_status",
        "candidate_status", "primary_latency_ms", "candidate_latency_ms", "primary_ttft_ms", "candidate_ttft_ms",
        "primary_tokens_in", "primary_tokens_out", "candidate_tokens_in", "candidate_tokens_out", "primary_cost_usd",
        "candidate_cost_usd", "match_score", "verdict", "candidate_error_class", "diff_summary", "request_body", "primary_body",
        "candidate_body", "error", "instance",
    ];

    public string Name => "recorder";

    public string Description => "shadow_results rows via binary COPY vs multi-row INSERT vs EF SaveChanges";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var quick = lab.Settings.Quick;
        var rowCount = quick ? 5_000 : 100_000;
        var rounds = Math.Max(Comparison.MinimumRounds, lab.Settings.Rounds ?? 3);
        var database = await lab.CreateDatabaseAsync("recorder").ConfigureAwait(false);
        var rows = Rows(rowCount);
        await using var dataSource = NpgsqlDataSource.Create(database);

        var methods = new (string Name, Func<IReadOnlyList<ShadowResult>, Task> Write)[]
        {
            ("copy", batch => CopyAsync(dataSource, batch, lab.CancellationToken)),
            ("insert", batch => InsertAsync(dataSource, batch, lab.CancellationToken)),
            ("ef-savechanges", batch => SaveChangesAsync(database, batch, lab.CancellationToken)),
        };

        // One small untimed pass per method: connections, JIT, EF model building.
        foreach (var (_, write) in methods)
        {
            await write(rows.Take(BatchSize).ToList()).ConfigureAwait(false);
        }

        var results = methods.ToDictionary(m => m.Name, _ => new List<ScenarioStats>(), StringComparer.Ordinal);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, write) in methods)
            {
                await TruncateAsync(dataSource, lab.CancellationToken).ConfigureAwait(false);
                var stats = new ScenarioStats(name);
                var started = Stopwatch.GetTimestamp();
                for (var offset = 0; offset < rows.Count; offset += BatchSize)
                {
                    var batch = rows.Skip(offset).Take(BatchSize).ToList();
                    var batchStart = Stopwatch.GetTimestamp();
                    await write(batch).ConfigureAwait(false);
                    var micros = Stopwatch.GetElapsedTime(batchStart).Ticks / TimeSpan.TicksPerMicrosecond;

                    // One "ok" per row keeps rps = rows per second; the batch time goes to the histogram once.
                    stats.Add(Response.Ok(), micros, null);
                    stats.AddOkWithoutLatency(batch.Count - 1);
                }

                stats.Duration = Stopwatch.GetElapsedTime(started);
                var written = await CountAsync(dataSource, lab.CancellationToken).ConfigureAwait(false);
                if (written != rows.Count)
                {
                    throw new InvalidOperationException($"{name} wrote {written} rows, expected {rows.Count}.");
                }

                await lab.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[recorder] round {round} {name}: {rows.Count} rows in {stats.Duration.TotalSeconds:0.000} s = {rows.Count / stats.Duration.TotalSeconds:0} rows/s")).ConfigureAwait(false);
                results[name].Add(stats);
            }
        }

        var report = new ScenarioReport { Scenario = Name };
        report.Config["rows"] = rowCount;
        report.Config["batchSize"] = BatchSize;
        report.Config["rounds"] = rounds;
        report.Config["row"] = "a shadow_results row with redacted bodies of about 300 characters each and a diff summary";
        report.Config["postgres"] = "PostgreSQL 15, local, fsync off (throwaway cluster) unless MIGRATION_DB is set";
        report.Config["machine"] = MachineInfo.Describe();
        foreach (var (name, _) in methods)
        {
            var arm = ArmSummary.FromRounds(results[name]);
            arm.SetExtra("rowsPerSecond", arm.Rps);
            report.Arms[name] = arm;
        }

        var copy = report.Arms["copy"].Rps;
        report.Ratios["copyVsSaveChanges"] = OverheadScenario.Ratio(copy, report.Arms["ef-savechanges"].Rps);
        report.Ratios["copyVsInsert"] = OverheadScenario.Ratio(copy, report.Arms["insert"].Rps);
        report.Goals.Add(GoalResult.AtLeast("COPY / EF SaveChanges", report.Ratios["copyVsSaveChanges"], 10, "x"));
        report.Goals.Add(GoalResult.AtLeast("COPY / batched INSERT", report.Ratios["copyVsInsert"], 2.5, "x"));
        report.Goals.Add(GoalResult.AtLeast("COPY rows per second", copy, 100_000));
        report.AddNote("rps = rows written per second (median of the rounds); latencyMs = time per batch of 1000 rows.");
        return report;
    }

    /// <summary>Deterministic, realistic rows.</summary>
    internal static List<ShadowResult> Rows(int count)
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var body = new StringBuilder();
        for (var i = 0; i < 6; i++)
        {
            body.Append("The quick brown fox jumps over the lazy dog; redacted [EMAIL] and [KEY]. ");
        }

        var text = body.ToString();
        var rows = new List<ShadowResult>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(new ShadowResult
            {
                Time = time.AddMilliseconds(i),
                RequestId = "req-" + i.ToString(CultureInfo.InvariantCulture),
                Route = "/v1/chat/completions",
                PrimaryModel = "gpt-4.1-mini",
                CandidateModel = "gpt-4.1-mini",
                Streamed = i % 3 == 0,
                PrimaryStatus = 200,
                CandidateStatus = 200,
                PrimaryLatencyMs = 420.5 + (i % 100),
                CandidateLatencyMs = 380.25 + (i % 90),
                PrimaryTtftMs = 120 + (i % 30),
                CandidateTtftMs = 100 + (i % 40),
                PrimaryTokensIn = 25,
                PrimaryTokensOut = 64,
                CandidateTokensIn = 25,
                CandidateTokensOut = 61,
                PrimaryCostUsd = 0.000123m,
                CandidateCostUsd = 0.000045m,
                MatchScore = 0.93,
                Verdict = i % 5 == 0 ? Verdict.Similar : Verdict.Exact,
                CandidateErrorClass = ErrorClass.None,
                DiffSummaryJson = i % 5 == 0 ? """{"content":"similar","score":0.93}""" : null,
                RequestBody = text,
                PrimaryBody = text,
                CandidateBody = text,
                Error = null,
                Instance = "load-recorder",
            });
        }

        return rows;
    }

    private static async Task CopyAsync(NpgsqlDataSource dataSource, IReadOnlyList<ShadowResult> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RecordCopy.CopyAsync(connection, batch, cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertAsync(NpgsqlDataSource dataSource, IReadOnlyList<ShadowResult> batch, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO shadow_results (").AppendJoin(", ", Columns).Append(") VALUES ");
        await using var command = dataSource.CreateCommand();
        var p = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            sql.Append(i == 0 ? "(" : ", (");
            object?[] values =
            [
                r.Time.ToUniversalTime(), r.RequestId, r.Route, r.PrimaryModel, r.CandidateModel, r.Streamed, r.PrimaryStatus,
                r.CandidateStatus, r.PrimaryLatencyMs, r.CandidateLatencyMs, r.PrimaryTtftMs, r.CandidateTtftMs,
                r.PrimaryTokensIn, r.PrimaryTokensOut, r.CandidateTokensIn, r.CandidateTokensOut, r.PrimaryCostUsd,
                r.CandidateCostUsd, r.MatchScore, StorageNames.Of(r.Verdict), StorageNames.Of(r.CandidateErrorClass),
                r.DiffSummaryJson, r.RequestBody, r.PrimaryBody, r.CandidateBody, r.Error, r.Instance,
            ];
            for (var c = 0; c < values.Length; c++)
            {
                sql.Append(c == 0 ? "$" : ", $").Append(++p);
                var parameter = new NpgsqlParameter { Value = values[c] ?? DBNull.Value };
                if (c == 21)
                {
                    parameter.NpgsqlDbType = NpgsqlDbType.Jsonb;
                }
                else if (values[c] is null)
                {
                    parameter.NpgsqlDbType = c switch
                    {
                        7 or 12 or 13 or 14 or 15 => NpgsqlDbType.Integer,
                        9 or 10 or 11 or 18 => NpgsqlDbType.Double,
                        16 or 17 => NpgsqlDbType.Numeric,
                        _ => NpgsqlDbType.Text,
                    };
                }

                command.Parameters.Add(parameter);
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task SaveChangesAsync(string connectionString, IReadOnlyList<ShadowResult> batch, CancellationToken cancellationToken)
    {
        await using var context = MigrationDatabase.CreateContext(connectionString);
        context.ShadowResults.AddRange(batch.Select(r => new ShadowResultRow
        {
            Time = r.Time.ToUniversalTime(),
            RequestId = r.RequestId,
            Route = r.Route,
            PrimaryModel = r.PrimaryModel,
            CandidateModel = r.CandidateModel,
            Streamed = r.Streamed,
            PrimaryStatus = r.PrimaryStatus,
            CandidateStatus = r.CandidateStatus,
            PrimaryLatencyMs = r.PrimaryLatencyMs,
            CandidateLatencyMs = r.CandidateLatencyMs,
            PrimaryTtftMs = r.PrimaryTtftMs,
            CandidateTtftMs = r.CandidateTtftMs,
            PrimaryTokensIn = r.PrimaryTokensIn,
            PrimaryTokensOut = r.PrimaryTokensOut,
            CandidateTokensIn = r.CandidateTokensIn,
            CandidateTokensOut = r.CandidateTokensOut,
            PrimaryCostUsd = r.PrimaryCostUsd,
            CandidateCostUsd = r.CandidateCostUsd,
            MatchScore = r.MatchScore,
            Verdict = StorageNames.Of(r.Verdict),
            CandidateErrorClass = StorageNames.Of(r.CandidateErrorClass),
            DiffSummary = r.DiffSummaryJson,
            RequestBody = r.RequestBody,
            PrimaryBody = r.PrimaryBody,
            CandidateBody = r.CandidateBody,
            Error = r.Error,
            Instance = r.Instance,
        }));
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task TruncateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("TRUNCATE shadow_results");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM shadow_results");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
