using Migration.Postgres.Canary;
using Migration.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Postgres.Retention;

/// <summary>
/// Deletes old shadow results, traffic buckets and candidate attempts, in batches of <see cref="BatchSize"/> rows
/// (each its own short statement, so no long lock or giant transaction on a big table), by one runner at a time: a
/// run holds a session advisory lock for its duration and a concurrent run (another instance, or the CLI) skips.
/// </summary>
internal sealed class PostgresRetention(MigrationDataSource dataSource)
{
    /// <summary>Rows per DELETE statement.</summary>
    public const int DefaultBatchSize = 10_000;

    /// <summary>The advisory lock key (class, object) retention runs under: a class of its own beside the canary lease's.</summary>
    internal const int LockClass = CanarySql.LockClass + 1;

    /// <summary>The advisory lock's object.</summary>
    internal const int LockObject = 0;

    private static readonly string[] Tables = ["shadow_results", "traffic_buckets", "candidate_attempts"];

    /// <summary>Rows per DELETE statement; default <see cref="DefaultBatchSize"/>.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// Deletes shadow results, traffic buckets and candidate attempts older than <paramref name="cutoff"/>; canary
    /// events are kept. Returns null when another runner holds the retention lock (nothing was deleted).
    /// </summary>
    public async Task<RetentionResult?> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!await LockAsync(connection, "SELECT pg_try_advisory_lock(@c, @o)", cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var deleted = new long[Tables.Length];
            var batches = 0;
            for (var t = 0; t < Tables.Length; t++)
            {
                var time = Tables[t] == "traffic_buckets" ? "second" : "time";
                var sql = $"DELETE FROM {Tables[t]} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {Tables[t]} WHERE {time} < $1 LIMIT $2))";
                long count;
                do
                {
                    count = await DeleteBatchAsync(connection, sql, cutoff, cancellationToken).ConfigureAwait(false);
                    deleted[t] += count;
                    batches++;
                }
                while (count >= BatchSize);
            }

            return new RetentionResult(deleted[0], deleted[1], deleted[2]) { Batches = batches };
        }
        finally
        {
            // Closing the connection returns it to the pool with the lock still held: unlock explicitly.
            await LockAsync(connection, "SELECT pg_advisory_unlock(@c, @o)", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<long> DeleteBatchAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = BatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("c", LockClass);
        command.Parameters.AddWithValue("o", LockObject);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
