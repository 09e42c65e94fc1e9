using Npgsql;

namespace Migration.Postgres.Canary;

/// <summary>SQL and connection settings shared by the canary store, the listener and the lease.</summary>
internal static class CanarySql
{
    /// <summary>The NOTIFY channel; the payload is the migration key.</summary>
    public const string Channel = "migration_canary";

    /// <summary>Class id (first key) of the leader advisory lock: "MIGR".</summary>
    public const int LockClass = 0x4D49_4752;

    public const string StateColumns =
        "migration, state, step_index, weight, paused, version, updated_at, reason, step_started_at, " +
        "shadow_enabled, shadow_sample_rate, leader_instance, leader_heartbeat_at, last_decision";

    /// <summary>Creates the idle row of @m when missing (@now: updated_at).</summary>
    public const string EnsureRow =
        "INSERT INTO canary_state (migration, state, step_index, weight, paused, version, updated_at, reason) " +
        "VALUES (@m, 'idle', -1, 0, false, 0, @now, 'not started') ON CONFLICT (migration) DO NOTHING";

    /// <summary>
    /// A connection string for a session of its own (LISTEN, advisory lock): not pooled, because a pooled
    /// connection goes back to the pool with its session state (a held advisory lock stays held). TCP keepalive
    /// notices a dead server on an idle connection.
    /// </summary>
    public static string Dedicated(string connectionString, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            TcpKeepAlive = true,
            ApplicationName = applicationName,
        };
        return builder.ConnectionString;
    }

    public static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();
}
