using Migration.Core.Exchange;
using Migration.Core.Reporting;
using Migration.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Postgres.Reporting;

/// <summary>Report figures computed in SQL over <c>shadow_results</c>, <c>traffic_buckets</c> and <c>candidate_attempts</c>.</summary>
internal sealed class PostgresReportQueries(MigrationDataSource dataSource) : IReportQueries
{
    // One pass over the filtered candidate rows (noise-floor rows have their own query): per primary model and overall.
    private const string ShadowSql = """
        SELECT
            GROUPING(primary_model) = 1 AS is_total,
            primary_model,
            mode() WITHIN GROUP (ORDER BY candidate_model) AS candidate_model,
            count(*) AS total,
            count(*) FILTER (WHERE verdict <> 'error') AS compared,
            count(*) FILTER (WHERE verdict = 'exact') AS exact,
            count(*) FILTER (WHERE verdict = 'equivalent') AS equivalent,
            count(*) FILTER (WHERE verdict = 'similar') AS similar,
            count(*) FILTER (WHERE verdict = 'different') AS different,
            count(*) FILTER (WHERE verdict = 'error') AS error,
            count(*) FILTER (WHERE primary_status BETWEEN 200 AND 299) AS primary_successes,
            count(*) FILTER (WHERE candidate_status BETWEEN 200 AND 299 AND candidate_error_class = 'none') AS candidate_successes,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY primary_latency_ms)
                FILTER (WHERE primary_status BETWEEN 200 AND 299) AS primary_latency,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY candidate_latency_ms)
                FILTER (WHERE candidate_status BETWEEN 200 AND 299 AND candidate_error_class = 'none') AS candidate_latency,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY primary_ttft_ms)
                FILTER (WHERE primary_status BETWEEN 200 AND 299) AS primary_ttft,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY candidate_ttft_ms)
                FILTER (WHERE candidate_status BETWEEN 200 AND 299 AND candidate_error_class = 'none') AS candidate_ttft,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY primary_first_byte_ms)
                FILTER (WHERE primary_status BETWEEN 200 AND 299) AS primary_first_byte,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY candidate_first_byte_ms)
                FILTER (WHERE candidate_status BETWEEN 200 AND 299 AND candidate_error_class = 'none') AS candidate_first_byte,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY primary_latency_ms)
                FILTER (WHERE primary_status NOT BETWEEN 200 AND 299) AS primary_error_latency,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY candidate_latency_ms)
                FILTER (WHERE NOT (candidate_status BETWEEN 200 AND 299 AND candidate_error_class = 'none')) AS candidate_error_latency,
            percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY match_score)
                FILTER (WHERE verdict <> 'error') AS score,
            count(*) FILTER (WHERE candidate_ok AND primary_cost_usd IS NOT NULL AND candidate_cost_usd IS NOT NULL) AS cost_compared,
            coalesce(sum(primary_cost_usd) FILTER (WHERE candidate_ok AND candidate_cost_usd IS NOT NULL), 0) AS cost_primary,
            coalesce(sum(candidate_cost_usd) FILTER (WHERE candidate_ok AND primary_cost_usd IS NOT NULL), 0) AS cost_candidate,
            count(*) FILTER (WHERE NOT candidate_ok) AS cost_candidate_failed,
            coalesce(sum(candidate_cost_usd) FILTER (WHERE NOT candidate_ok), 0) AS cost_failed_billed,
            count(*) FILTER (WHERE NOT candidate_ok AND candidate_cost_usd IS NULL) AS cost_failed_unknown,
            count(*) FILTER (WHERE candidate_ok AND candidate_cost_usd IS NULL) AS cost_candidate_unpriced,
            count(*) FILTER (WHERE candidate_ok AND candidate_cost_usd IS NOT NULL AND primary_cost_usd IS NULL) AS cost_primary_unpriced,
            count(*) FILTER (WHERE primary_tokens_estimated OR candidate_tokens_estimated) AS cost_estimated_tokens,
            coalesce(sum(primary_cost_usd), 0) AS primary_cost,
            coalesce(sum(candidate_cost_usd), 0) AS candidate_cost,
            coalesce(sum(primary_tokens_in), 0) AS primary_tokens_in,
            coalesce(sum(primary_tokens_out), 0) AS primary_tokens_out,
            coalesce(sum(candidate_tokens_in), 0) AS candidate_tokens_in,
            coalesce(sum(candidate_tokens_out), 0) AS candidate_tokens_out,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY candidate_latency_ms - primary_latency_ms)
                FILTER (WHERE verdict <> 'error') AS latency_diff,
            min(time) AS first_at,
            max(time) AS last_at
        FROM (
            SELECT *, coalesce(candidate_status BETWEEN 200 AND 299 AND candidate_error_class = 'none', false) AS candidate_ok
            FROM shadow_results
            WHERE kind = 'candidate' AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::text IS NULL OR primary_model = $2)
        ) c
        GROUP BY GROUPING SETS ((primary_model), ())
        """;

    // The noise floor: the primary asked twice, compared with the same comparer (kind 'noise').
    private const string NoiseSql = """
        SELECT
            GROUPING(primary_model) = 1 AS is_total,
            primary_model,
            count(*) FILTER (WHERE verdict = 'exact') AS exact,
            count(*) FILTER (WHERE verdict = 'equivalent') AS equivalent,
            count(*) FILTER (WHERE verdict = 'similar') AS similar,
            count(*) FILTER (WHERE verdict = 'different') AS different,
            count(*) FILTER (WHERE verdict = 'error') AS error,
            percentile_cont(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY match_score)
                FILTER (WHERE verdict <> 'error') AS score
        FROM shadow_results
        WHERE kind = 'noise' AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::text IS NULL OR primary_model = $2)
        GROUP BY GROUPING SETS ((primary_model), ())
        """;

    private const string DroppedSql = """
        SELECT coalesce(sum(shadow_dropped), 0)::bigint,
               coalesce(sum(requests), 0)::bigint,
               coalesce(extract(epoch FROM max(second) - min(second)), 0)::float8 + 1
        FROM traffic_buckets
        WHERE ($1::timestamptz IS NULL OR second >= $1) AND ($2::text IS NULL OR model = $2)
        """;

    // Per request: did a model after the first one serve it, did it end on the primary. A request is in the window
    // when its first attempt is; then all of its attempts count (a chain straddling `since` keeps its first model).
    private const string FallbackTotalsSql = """
        WITH selected AS (
            SELECT request_id
            FROM candidate_attempts
            WHERE attempt = 1 AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::text IS NULL OR requested_model = $2)
        ), attempts AS (
            SELECT a.request_id, a.model, a.outcome, a.cost_usd,
                   first_value(a.model) OVER (PARTITION BY a.request_id ORDER BY a.attempt) AS first_model
            FROM candidate_attempts a JOIN selected USING (request_id)
        ), requests AS (
            SELECT bool_or(outcome = 'served' AND model <> first_model) AS by_fallback,
                   bool_or(outcome = 'fell_back') AS fell_back,
                   coalesce(sum(cost_usd), 0) AS cost
            FROM attempts
            GROUP BY request_id
        )
        SELECT count(*)::bigint,
               count(*) FILTER (WHERE by_fallback)::bigint,
               count(*) FILTER (WHERE fell_back)::bigint,
               coalesce(sum(cost), 0)
        FROM requests
        """;

    private const string FallbackModelsSql = """
        SELECT requested_model, model,
               count(*)::bigint,
               count(*) FILTER (WHERE outcome = 'served')::bigint,
               count(*) FILTER (WHERE outcome = 'next_model')::bigint,
               count(*) FILTER (WHERE outcome = 'retry')::bigint,
               count(*) FILTER (WHERE outcome = 'fell_back')::bigint,
               count(*) FILTER (WHERE outcome = 'failed_after_commit')::bigint,
               coalesce(sum(cost_usd), 0),
               avg(latency_ms)
        FROM candidate_attempts
        WHERE request_id IN (
            SELECT request_id FROM candidate_attempts
            WHERE attempt = 1 AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::text IS NULL OR requested_model = $2))
        GROUP BY requested_model, model
        ORDER BY requested_model, min(attempt), model
        """;

    // In order of the second: the accumulator closes a slot's histograms when the next slot starts.
    private const string TrafficSeriesSql = """
        SELECT second, arm, requests, successes, errors_timeout, errors_rate_limited, errors_server, errors_client,
               errors_connection, errors_other, fallbacks, shadow_sampled, shadow_dropped, latency_hist, ttft_hist
        FROM traffic_buckets
        WHERE second >= $1 AND second < $2 AND ($3::text IS NULL OR model = $3)
        ORDER BY second
        """;

    private static readonly Dictionary<string, TrafficArm> Arms =
        Enum.GetValues<TrafficArm>().ToDictionary(TrafficArmNames.Of, a => a, StringComparer.Ordinal);

    public async Task<TrafficSeries> GetTrafficSeriesAsync(TimeSeriesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var accumulator = new TimeSeriesAccumulator(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(TrafficSeriesSql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = query.From.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = query.Until.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)query.Model ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var latency = new byte[4096];
        var ttft = new byte[4096];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!Arms.TryGetValue(reader.GetString(1), out var arm))
            {
                continue;
            }

            var counts = new TrafficCounts(
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12));
            var latencyLength = ReadBytes(reader, 13, ref latency);
            var ttftLength = ReadBytes(reader, 14, ref ttft);
            accumulator.Add(reader.GetFieldValue<DateTimeOffset>(0), arm, counts, latency.AsSpan(0, latencyLength), ttft.AsSpan(0, ttftLength));
        }

        return accumulator.Build();
    }

    // Into a reused buffer: a day of buckets is hundreds of thousands of histograms.
    private static int ReadBytes(NpgsqlDataReader reader, int ordinal, ref byte[] buffer)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length > buffer.Length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        return (int)reader.GetBytes(ordinal, 0, buffer, 0, length);
    }

    public async Task<FallbackReport?> GetFallbackReportAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long requests, byFallback, fellBack;
        decimal cost;
        await using (var command = CreateCommand(connection, FallbackTotalsSql, filter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (requests, byFallback, fellBack, cost) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDecimal(3));
        }

        if (requests == 0)
        {
            return null;
        }

        var models = new List<FallbackModelStats>();
        await using (var command = CreateCommand(connection, FallbackModelsSql, filter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                models.Add(new FallbackModelStats(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.GetInt64(4),
                    reader.GetInt64(5),
                    reader.GetInt64(6),
                    reader.GetInt64(7),
                    reader.GetDecimal(8),
                    reader.IsDBNull(9) ? null : reader.GetDouble(9)));
            }
        }

        return new FallbackReport(requests, byFallback, fellBack, cost, models);
    }

    public async Task<ShadowStats> GetShadowStatsAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        Row? total = null;
        var byModel = new List<ModelStats>();
        await using (var command = CreateCommand(connection, ShadowSql, filter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = Row.Read(reader);
                if (row.IsTotal)
                {
                    total = row;
                }
                else
                {
                    byModel.Add(row.ToModelStats());
                }
            }
        }

        var noise = new Dictionary<string, AgreementDistribution>(StringComparer.Ordinal);
        var noiseTotal = AgreementDistribution.Empty;
        await using (var command = CreateCommand(connection, NoiseSql, filter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var distribution = AgreementDistribution.From(Row.ReadVerdicts(reader), Row.ReadScore(reader));
                if (reader.GetBoolean(reader.GetOrdinal("is_total")))
                {
                    noiseTotal = distribution;
                }
                else
                {
                    noise[reader.GetString(reader.GetOrdinal("primary_model"))] = distribution;
                }
            }
        }

        long dropped, observedRequests;
        double observedSeconds;
        await using (var command = CreateCommand(connection, DroppedSql, filter))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            dropped = reader.GetInt64(0);
            observedRequests = reader.GetInt64(1);
            observedSeconds = observedRequests == 0 ? 0 : reader.GetDouble(2);
        }

        for (var i = 0; i < byModel.Count; i++)
        {
            var m = byModel[i];
            byModel[i] = m with { Agreement = m.Agreement! with { Noise = noise.GetValueOrDefault(m.Model, AgreementDistribution.Empty) } };
        }

        byModel.Sort((a, b) => b.Total != a.Total ? b.Total.CompareTo(a.Total) : string.CompareOrdinal(a.Model, b.Model));
        if (total is null || total.Total == 0)
        {
            return new ShadowStats(0, 0, dropped, ArmStats.Empty, ArmStats.Empty, null, null, VerdictCounts.Empty, [], null, null,
                new AgreementStats(AgreementDistribution.Empty, noiseTotal), CostStats.Empty with { ObservedRequests = observedRequests, ObservedSeconds = observedSeconds });
        }

        return new ShadowStats(
            total.Total,
            total.Compared,
            dropped,
            total.Primary,
            total.Candidate,
            total.LatencyDiffMs,
            total.MatchRate,
            total.Verdicts,
            byModel,
            total.FirstAt,
            total.LastAt,
            new AgreementStats(AgreementDistribution.From(total.Verdicts, total.Score), noiseTotal),
            total.Cost with { ObservedRequests = observedRequests, ObservedSeconds = observedSeconds });
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string sql, ReportFilter filter)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
            Value = filter.Since is { } since ? since.ToUniversalTime() : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Text,
            Value = (object?)filter.Model ?? DBNull.Value,
        });
        return command;
    }

    private sealed record Row(
        bool IsTotal,
        string Model,
        string CandidateModel,
        long Total,
        long Compared,
        VerdictCounts Verdicts,
        ArmStats Primary,
        ArmStats Candidate,
        double? LatencyDiffMs,
        DateTimeOffset? FirstAt,
        DateTimeOffset? LastAt,
        ScorePercentiles Score,
        CostStats Cost)
    {
        public double? MatchRate => Compared == 0 ? null : (double)(Verdicts.Exact + Verdicts.Equivalent + Verdicts.Similar) / Compared;

        public ModelStats ToModelStats() => new(Model, CandidateModel, Total, Compared, MatchRate, Verdicts, Primary, Candidate,
            new AgreementStats(AgreementDistribution.From(Verdicts, Score), AgreementDistribution.Empty));

        public static VerdictCounts ReadVerdicts(NpgsqlDataReader r) => new(
            r.GetInt64(r.GetOrdinal("exact")),
            r.GetInt64(r.GetOrdinal("equivalent")),
            r.GetInt64(r.GetOrdinal("similar")),
            r.GetInt64(r.GetOrdinal("different")),
            r.GetInt64(r.GetOrdinal("error")));

        public static ScorePercentiles ReadScore(NpgsqlDataReader r)
        {
            var p = Percentiles(r, "score");
            return new ScorePercentiles(p.P50, p.P95, p.P99);
        }

        public static Row Read(NpgsqlDataReader r)
        {
            var total = r.GetInt64(r.GetOrdinal("total"));
            var verdicts = ReadVerdicts(r);
            var primarySuccesses = r.GetInt64(r.GetOrdinal("primary_successes"));
            var candidateSuccesses = r.GetInt64(r.GetOrdinal("candidate_successes"));
            var primary = new ArmStats(
                total,
                Rate(primarySuccesses, total),
                Percentiles(r, "primary_latency"),
                Percentiles(r, "primary_ttft"),
                r.GetDecimal(r.GetOrdinal("primary_cost")),
                r.GetInt64(r.GetOrdinal("primary_tokens_in")),
                r.GetInt64(r.GetOrdinal("primary_tokens_out")),
                primarySuccesses,
                Percentiles(r, "primary_error_latency"),
                Percentiles(r, "primary_first_byte"));
            var candidate = new ArmStats(
                total,
                Rate(candidateSuccesses, total),
                Percentiles(r, "candidate_latency"),
                Percentiles(r, "candidate_ttft"),
                r.GetDecimal(r.GetOrdinal("candidate_cost")),
                r.GetInt64(r.GetOrdinal("candidate_tokens_in")),
                r.GetInt64(r.GetOrdinal("candidate_tokens_out")),
                candidateSuccesses,
                Percentiles(r, "candidate_error_latency"),
                Percentiles(r, "candidate_first_byte"));
            var cost = new CostStats(
                r.GetInt64(r.GetOrdinal("cost_compared")),
                r.GetDecimal(r.GetOrdinal("cost_primary")),
                r.GetDecimal(r.GetOrdinal("cost_candidate")),
                r.GetInt64(r.GetOrdinal("cost_candidate_failed")),
                r.GetDecimal(r.GetOrdinal("cost_failed_billed")),
                r.GetInt64(r.GetOrdinal("cost_failed_unknown")),
                r.GetInt64(r.GetOrdinal("cost_candidate_unpriced")),
                r.GetInt64(r.GetOrdinal("cost_primary_unpriced")),
                r.GetInt64(r.GetOrdinal("cost_estimated_tokens")),
                0,
                0);
            return new Row(
                r.GetBoolean(r.GetOrdinal("is_total")),
                Text(r, "primary_model"),
                Text(r, "candidate_model"),
                total,
                r.GetInt64(r.GetOrdinal("compared")),
                verdicts,
                primary,
                candidate,
                NullableDouble(r, "latency_diff"),
                Time(r, "first_at"),
                Time(r, "last_at"),
                ReadScore(r),
                cost);
        }

        private static double? Rate(long count, long total) => total == 0 ? null : (double)count / total;

        private static string Text(NpgsqlDataReader r, string column)
        {
            var i = r.GetOrdinal(column);
            return r.IsDBNull(i) ? "" : r.GetString(i);
        }

        private static double? NullableDouble(NpgsqlDataReader r, string column)
        {
            var i = r.GetOrdinal(column);
            return r.IsDBNull(i) ? null : r.GetDouble(i);
        }

        private static DateTimeOffset? Time(NpgsqlDataReader r, string column)
        {
            var i = r.GetOrdinal(column);
            return r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
        }

        private static Percentiles Percentiles(NpgsqlDataReader r, string column)
        {
            var i = r.GetOrdinal(column);
            if (r.IsDBNull(i))
            {
                return Core.Reporting.Percentiles.Empty;
            }

            var values = r.GetFieldValue<double?[]>(i);
            return new Percentiles(values[0], values[1], values[2]);
        }
    }
}
