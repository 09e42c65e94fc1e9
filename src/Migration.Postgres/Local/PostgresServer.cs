using Npgsql;

namespace Migration.Postgres.Local;

/// <summary>
/// A PostgreSQL server to use: the one named by <c>MIGRATION_DB</c> (not owned: never stopped, its databases are
/// left alone unless you drop what you created), or a throwaway <see cref="LocalPostgres"/> (owned: stopped and
/// deleted on dispose).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private PostgresServer(string connectionString, LocalPostgres? local)
    {
        ConnectionString = connectionString;
        Local = local;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Host = builder.Host ?? "localhost";
        Port = builder.Port;
    }

    /// <summary>Connection string as configured (MIGRATION_DB, with its database) or the local <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>Server host.</summary>
    public string Host { get; }

    /// <summary>Server port.</summary>
    public int Port { get; }

    /// <summary>The launched server when owned; null for an external one.</summary>
    public LocalPostgres? Local { get; }

    /// <summary>Whether this process started the server (and stops it on dispose).</summary>
    public bool IsOwned => Local is not null;

    /// <summary>
    /// <c>MIGRATION_DB</c> when set (checked reachable), else a freshly started local server.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">MIGRATION_DB is set but the server is not reachable.</exception>
    /// <exception cref="PostgresBinariesNotFoundException">MIGRATION_DB is not set and no binaries were found.</exception>
    public static Task<PostgresServer> AcquireAsync(CancellationToken cancellationToken = default) =>
        AcquireAsync(PostgresEnvironment.FromEnvironment(), null, cancellationToken);

    /// <summary>The given server when <paramref name="connectionString"/> is set (checked reachable), else a local one.</summary>
    public static async Task<PostgresServer> AcquireAsync(string? connectionString, LocalPostgresOptions? localOptions, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            await PostgresAdmin.EnsureReachableAsync(connectionString, cancellationToken).ConfigureAwait(false);
            return new PostgresServer(connectionString, null);
        }

        var local = await LocalPostgres.StartAsync(localOptions, cancellationToken).ConfigureAwait(false);
        return new PostgresServer(local.ConnectionString, local);
    }

    /// <summary>The same server and credentials on another database.</summary>
    public string ConnectionStringFor(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database };
        return builder.ConnectionString;
    }

    /// <summary>Creates a database (if missing) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await PostgresAdmin.CreateDatabaseAsync(ConnectionString, name, cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database if it exists (its sessions are disconnected).</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        PostgresAdmin.DropDatabaseAsync(ConnectionString, name, cancellationToken);

    /// <summary>Whether a database exists.</summary>
    public Task<bool> DatabaseExistsAsync(string name, CancellationToken cancellationToken = default) =>
        PostgresAdmin.DatabaseExistsAsync(ConnectionString, name, cancellationToken);

    /// <summary>Stops and deletes an owned server; does nothing to an external one.</summary>
    public ValueTask DisposeAsync() => Local?.DisposeAsync() ?? ValueTask.CompletedTask;
}
