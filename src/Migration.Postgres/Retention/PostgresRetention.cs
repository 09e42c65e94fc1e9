using Migration.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Postgres.Retention;

/// <summary>Deletes old shadow results, traffic buckets and candidate attempts.</summary>
internal sealed class PostgresRetention(MigrationDataSource dataSource)
{
    /// <summary>Deletes shadow results, traffic buckets and candidate attempts older than <paramref name="cutoff"/>; canary events are kept.</summary>
    public async Task<RetentionResult> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var shadow = await DeleteAsync(connection, "DELETE FROM shadow_results WHERE time < $1", cutoff, cancellationToken).ConfigureAwait(false);
        var buckets = await DeleteAsync(connection, "DELETE FROM traffic_buckets WHERE second < $1", cutoff, cancellationToken).ConfigureAwait(false);
        var attempts = await DeleteAsync(connection, "DELETE FROM candidate_attempts WHERE time < $1", cutoff, cancellationToken).ConfigureAwait(false);
        return new RetentionResult(shadow, buckets, attempts);
    }

    private static async Task<long> DeleteAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
