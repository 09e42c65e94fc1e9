using Migration.Core.Storage;
using Migration.Postgres.Entities;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Postgres.Storage;

/// <summary>Binary COPY of shadow results and traffic buckets.</summary>
internal static class RecordCopy
{
    public const string ShadowResultsCommand =
        "COPY shadow_results (time, request_id, route, primary_model, candidate_model, streamed, primary_status, " +
        "candidate_status, primary_latency_ms, candidate_latency_ms, primary_ttft_ms, candidate_ttft_ms, " +
        "primary_tokens_in, primary_tokens_out, candidate_tokens_in, candidate_tokens_out, primary_cost_usd, " +
        "candidate_cost_usd, match_score, verdict, candidate_error_class, diff_summary, request_body, primary_body, " +
        "candidate_body, error, instance) FROM STDIN (FORMAT BINARY)";

    public const string TrafficBucketsCommand =
        "COPY traffic_buckets (second, instance, arm, model, requests, successes, errors_timeout, errors_rate_limited, " +
        "errors_server, errors_client, errors_connection, fallbacks, errors_other, shadow_sampled, shadow_dropped, " +
        "latency_hist, ttft_hist) FROM STDIN (FORMAT BINARY)";

    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IReadOnlyList<ShadowResult> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(ShadowResultsCommand, cancellationToken).ConfigureAwait(false);
        foreach (var r in rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.RequestId, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.Route, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.PrimaryModel, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.CandidateModel, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.Streamed, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.PrimaryStatus, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.CandidateStatus, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(r.PrimaryLatencyMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.CandidateLatencyMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.PrimaryTtftMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.CandidateTtftMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.PrimaryTokensIn, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.PrimaryTokensOut, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.CandidateTokensIn, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.CandidateTokensOut, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.PrimaryCostUsd, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.CandidateCostUsd, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
            await WriteAsync(importer, r.MatchScore, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, StorageNames.Of(r.Verdict), cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, StorageNames.Of(r.CandidateErrorClass), cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.DiffSummaryJson, cancellationToken, NpgsqlDbType.Jsonb).ConfigureAwait(false);
            await WriteTextAsync(importer, r.RequestBody, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.PrimaryBody, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.CandidateBody, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.Error, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, r.Instance, cancellationToken).ConfigureAwait(false);
        }

        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IReadOnlyList<TrafficBucket> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(TrafficBucketsCommand, cancellationToken).ConfigureAwait(false);
        foreach (var b in rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.Second.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, b.Instance, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, StorageNames.Of(b.Arm), cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(importer, b.Model, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.Requests, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.Successes, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ErrorsTimeout, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ErrorsRateLimited, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ErrorsServer, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ErrorsClient, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ErrorsConnection, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.Fallbacks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ErrorsOther, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ShadowSampled, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.ShadowDropped, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.Latency.ToBytes(), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(b.Ttft.ToBytes(), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }

        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken, NpgsqlDbType type = NpgsqlDbType.Text)
    {
        if (value is null)
        {
            return importer.WriteNullAsync(cancellationToken);
        }

        // PostgreSQL text cannot hold NUL; a body containing one must not poison the batch.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            value = value.Replace("\0", "", StringComparison.Ordinal);
        }

        return importer.WriteAsync(value, type, cancellationToken);
    }
}
