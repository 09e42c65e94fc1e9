using Migration.Core.Storage;
using Migration.Postgres.Entities;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Postgres.Storage;

/// <summary>
/// Binary COPY of shadow results, traffic buckets and candidate attempts. Fields are written with the synchronous API: they go to
/// Npgsql's write buffer and only touch the socket when it fills, and per-field tasks cost about a quarter of the
/// throughput; the writer runs on its own background loop, so the rare blocking send is acceptable.
/// </summary>
internal static class RecordCopy
{
    public const string ShadowResultsCommand =
        "COPY shadow_results (time, request_id, route, primary_model, candidate_model, streamed, primary_status, " +
        "candidate_status, primary_latency_ms, candidate_latency_ms, primary_ttft_ms, candidate_ttft_ms, " +
        "primary_tokens_in, primary_tokens_out, candidate_tokens_in, candidate_tokens_out, primary_cost_usd, " +
        "candidate_cost_usd, match_score, verdict, candidate_error_class, diff_summary, request_body, primary_body, " +
        "candidate_body, error, instance, match_tier, semantic_skipped, scoring_model, scoring_tokens, scoring_cost_usd, kind, " +
        "primary_first_byte_ms, candidate_first_byte_ms, primary_tokens_estimated, candidate_tokens_estimated) " +
        "FROM STDIN (FORMAT BINARY)";

    public const string TrafficBucketsCommand =
        "COPY traffic_buckets (second, instance, arm, model, requests, successes, errors_timeout, errors_rate_limited, " +
        "errors_server, errors_client, errors_connection, fallbacks, errors_other, shadow_sampled, shadow_dropped, " +
        "latency_hist, ttft_hist) FROM STDIN (FORMAT BINARY)";

    public const string CandidateAttemptsCommand =
        "COPY candidate_attempts (time, request_id, route, reason, requested_model, model, attempt, outcome, error_class, " +
        "status, latency_ms, ttft_ms, tokens_in, tokens_out, cost_usd, message) FROM STDIN (FORMAT BINARY)";

    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IReadOnlyList<ShadowResult> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(ShadowResultsCommand, cancellationToken).ConfigureAwait(false);
        foreach (var r in rows)
        {
            importer.StartRow();
            importer.Write(r.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            WriteText(importer, r.RequestId);
            WriteText(importer, r.Route);
            WriteText(importer, r.PrimaryModel);
            WriteText(importer, r.CandidateModel);
            importer.Write(r.Streamed, NpgsqlDbType.Boolean);
            importer.Write(r.PrimaryStatus, NpgsqlDbType.Integer);
            Write(importer, r.CandidateStatus, NpgsqlDbType.Integer);
            importer.Write(r.PrimaryLatencyMs, NpgsqlDbType.Double);
            Write(importer, r.CandidateLatencyMs, NpgsqlDbType.Double);
            Write(importer, r.PrimaryTtftMs, NpgsqlDbType.Double);
            Write(importer, r.CandidateTtftMs, NpgsqlDbType.Double);
            Write(importer, r.PrimaryTokensIn, NpgsqlDbType.Integer);
            Write(importer, r.PrimaryTokensOut, NpgsqlDbType.Integer);
            Write(importer, r.CandidateTokensIn, NpgsqlDbType.Integer);
            Write(importer, r.CandidateTokensOut, NpgsqlDbType.Integer);
            Write(importer, r.PrimaryCostUsd, NpgsqlDbType.Numeric);
            Write(importer, r.CandidateCostUsd, NpgsqlDbType.Numeric);
            Write(importer, r.MatchScore, NpgsqlDbType.Double);
            WriteText(importer, StorageNames.Of(r.Verdict));
            WriteText(importer, StorageNames.Of(r.CandidateErrorClass));
            WriteText(importer, r.DiffSummaryJson, NpgsqlDbType.Jsonb);
            WriteText(importer, r.RequestBody);
            WriteText(importer, r.PrimaryBody);
            WriteText(importer, r.CandidateBody);
            WriteText(importer, r.Error);
            WriteText(importer, r.Instance);
            WriteText(importer, r.MatchTier is { } tier ? StorageNames.Of(tier) : null);
            WriteText(importer, r.SemanticSkipped);
            WriteText(importer, r.ScoringModel);
            Write(importer, r.ScoringTokens, NpgsqlDbType.Integer);
            Write(importer, r.ScoringCostUsd, NpgsqlDbType.Numeric);
            WriteText(importer, StorageNames.Of(r.Kind));
            Write(importer, r.PrimaryFirstByteMs, NpgsqlDbType.Double);
            Write(importer, r.CandidateFirstByteMs, NpgsqlDbType.Double);
            importer.Write(r.PrimaryTokensEstimated, NpgsqlDbType.Boolean);
            importer.Write(r.CandidateTokensEstimated, NpgsqlDbType.Boolean);
        }

        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IReadOnlyList<TrafficBucket> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(TrafficBucketsCommand, cancellationToken).ConfigureAwait(false);
        foreach (var b in rows)
        {
            importer.StartRow();
            importer.Write(b.Second.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            WriteText(importer, b.Instance);
            WriteText(importer, StorageNames.Of(b.Arm));
            WriteText(importer, b.Model);
            importer.Write(b.Requests, NpgsqlDbType.Bigint);
            importer.Write(b.Successes, NpgsqlDbType.Bigint);
            importer.Write(b.ErrorsTimeout, NpgsqlDbType.Bigint);
            importer.Write(b.ErrorsRateLimited, NpgsqlDbType.Bigint);
            importer.Write(b.ErrorsServer, NpgsqlDbType.Bigint);
            importer.Write(b.ErrorsClient, NpgsqlDbType.Bigint);
            importer.Write(b.ErrorsConnection, NpgsqlDbType.Bigint);
            importer.Write(b.Fallbacks, NpgsqlDbType.Bigint);
            importer.Write(b.ErrorsOther, NpgsqlDbType.Bigint);
            importer.Write(b.ShadowSampled, NpgsqlDbType.Bigint);
            importer.Write(b.ShadowDropped, NpgsqlDbType.Bigint);
            importer.Write(b.Latency.ToBytes(), NpgsqlDbType.Bytea);
            importer.Write(b.Ttft.ToBytes(), NpgsqlDbType.Bytea);
        }

        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IReadOnlyList<CandidateAttempt> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CandidateAttemptsCommand, cancellationToken).ConfigureAwait(false);
        foreach (var a in rows)
        {
            importer.StartRow();
            importer.Write(a.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            WriteText(importer, a.RequestId);
            WriteText(importer, a.Route);
            WriteText(importer, a.Reason);
            WriteText(importer, a.RequestedModel);
            WriteText(importer, a.Model);
            importer.Write(a.Attempt, NpgsqlDbType.Integer);
            WriteText(importer, a.Outcome);
            WriteText(importer, StorageNames.Of(a.ErrorClass));
            Write(importer, a.Status, NpgsqlDbType.Integer);
            importer.Write(a.LatencyMs, NpgsqlDbType.Double);
            Write(importer, a.TtftMs, NpgsqlDbType.Double);
            Write(importer, a.TokensIn, NpgsqlDbType.Integer);
            Write(importer, a.TokensOut, NpgsqlDbType.Integer);
            Write(importer, a.CostUsd, NpgsqlDbType.Numeric);
            WriteText(importer, a.Message);
        }

        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Write<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteText(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type = NpgsqlDbType.Text)
    {
        if (value is null)
        {
            importer.WriteNull();
            return;
        }

        // PostgreSQL text cannot hold NUL; a body containing one must not poison the batch.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            value = value.Replace("\0", "", StringComparison.Ordinal);
        }

        // A lone surrogate cannot be encoded as UTF-8 (Npgsql would throw mid-row, on every retry): replace it.
        if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            value = WithoutLoneSurrogates(value);
        }

        importer.Write(value, type);
    }

    internal static string WithoutLoneSurrogates(string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
