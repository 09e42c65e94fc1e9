using Npgsql;

namespace Migration.Postgres.Local;

/// <summary>Server-level operations: reachability, creating and dropping databases.</summary>
internal static class PostgresAdmin
{
    private const string MaintenanceDatabase = "postgres";

    /// <summary>The same server and credentials, on the <c>postgres</c> maintenance database, without pooling.</summary>
    public static string MaintenanceConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = MaintenanceDatabase,
            Pooling = false,
        };
        return builder.ConnectionString;
    }

    /// <summary>The database named by a connection string (Npgsql defaults it to the user name).</summary>
    public static string DatabaseOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return builder.Database ?? builder.Username ?? MaintenanceDatabase;
    }

    /// <summary>Opens a connection, turning reachability problems into <see cref="DatabaseUnavailableException"/>.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw DatabaseUnavailableException.TryCreate(connectionString, ex) ?? (Exception)ex;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Throws <see cref="DatabaseUnavailableException"/> when the server cannot be reached.</summary>
    public static async Task EnsureReachableAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(MaintenanceConnectionString(connectionString), cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // No maintenance database on this server: the target database must do.
            await using var connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<bool> DatabaseExistsAsync(string serverConnectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(MaintenanceConnectionString(serverConnectionString), cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Creates the database; false when it existed already.</summary>
    public static async Task<bool> CreateDatabaseAsync(string serverConnectionString, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var connection = await OpenAsync(MaintenanceConnectionString(serverConnectionString), cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }

        try
        {
#pragma warning disable CA2100 // The identifier is quoted; CREATE DATABASE takes no parameters.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(name)}", connection);
#pragma warning restore CA2100
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Created concurrently by another process.
            return false;
        }
    }

    /// <summary>Drops the database if it exists, disconnecting its sessions.</summary>
    public static async Task DropDatabaseAsync(string serverConnectionString, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var connection = await OpenAsync(MaintenanceConnectionString(serverConnectionString), cancellationToken).ConfigureAwait(false);
#pragma warning disable CA2100 // The identifier is quoted; DROP DATABASE takes no parameters.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)", connection);
#pragma warning restore CA2100
        await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
