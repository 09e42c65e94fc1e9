using System.Globalization;
using Migration.Migrations;
using Migration.Postgres;
using Migration.Postgres.Local;
using Npgsql;

namespace Migration.TestKit;

/// <summary>
/// A fresh, migrated, uniquely named database for one test (class). The server is shared by the whole test
/// process: <c>MIGRATION_DB</c> when set (left as found: every database created here is dropped on dispose),
/// else one throwaway server started on first use and removed when the process exits: a <see cref="LocalPostgres"/>
/// from the installed binaries, or with <c>MIGRATION_TEST_POSTGRES=testcontainers</c> a Docker container
/// (<see cref="TestcontainersPostgres"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresServer? s_shared;
    private bool _disposed;

    private TestDatabase(PostgresServer server, string name, string connectionString)
    {
        Server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The shared server.</summary>
    public PostgresServer Server { get; }

    /// <summary>Database name.</summary>
    public string Name { get; }

    /// <summary>Connection string to this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates and migrates a new database named <c>{prefix}_{random}</c>.</summary>
    public static async Task<TestDatabase> CreateAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var server = await GetSharedServerAsync(cancellationToken);
        var name = UniqueName(prefix);
        var connectionString = await server.CreateDatabaseAsync(name, cancellationToken);
        var database = new TestDatabase(server, name, connectionString);
        try
        {
            await MigrationDatabase.MigrateAsync(connectionString, cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty (not migrated) database on the shared server; the caller drops it (or uses <see cref="DropAsync"/>).</summary>
    public static async Task<(PostgresServer Server, string Name, string ConnectionString)> CreateEmptyAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var server = await GetSharedServerAsync(cancellationToken);
        var name = UniqueName(prefix);
        return (server, name, await server.CreateDatabaseAsync(name, cancellationToken));
    }

    /// <summary>A name for a database not yet created (to test creation).</summary>
    public static string UniqueName(string? prefix = null)
    {
        var clean = new string((prefix ?? "test").ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        if (clean.Length == 0)
        {
            clean = "test";
        }

        if (clean.Length > 40)
        {
            clean = clean[..40];
        }

        return string.Create(CultureInfo.InvariantCulture, $"{clean}_{Guid.NewGuid():N}")[..Math.Min(63, clean.Length + 1 + 20)];
    }

    /// <summary>The server every <see cref="TestDatabase"/> of this process uses.</summary>
    public static async Task<PostgresServer> GetSharedServerAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref s_shared) is { } existing)
        {
            return existing;
        }

        await SharedGate.WaitAsync(cancellationToken);
        try
        {
            if (s_shared is null)
            {
                Volatile.Write(ref s_shared, await AcquireServerAsync(
                    PostgresEnvironment.FromEnvironment(), TestPostgresEnvironment.FromEnvironment(), dockerEndpoint: null, cancellationToken));
            }

            return s_shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>
    /// The server the tests use: <paramref name="connectionString"/> (<c>MIGRATION_DB</c>) when set, else a throwaway
    /// one of <paramref name="kind"/> (<c>MIGRATION_TEST_POSTGRES</c>), removed when the process exits.
    /// </summary>
    /// <param name="connectionString">An existing server (never stopped), or null.</param>
    /// <param name="kind">Local binaries or a Testcontainers container.</param>
    /// <param name="dockerEndpoint">For <see cref="TestPostgresKind.Testcontainers"/>: the engine, or null to resolve it as Testcontainers does.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PostgresServer> AcquireServerAsync(string? connectionString, TestPostgresKind kind, Uri? dockerEndpoint = null, CancellationToken cancellationToken = default)
    {
        if (connectionString is null && kind == TestPostgresKind.Testcontainers)
        {
            var container = await TestcontainersPostgres.StartAsync(dockerEndpoint, cancellationToken: cancellationToken);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            connectionString = container.GetConnectionString();
        }

        var server = await PostgresServer.AcquireAsync(connectionString, localOptions: null, cancellationToken);
        if (server.Local is { } local)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => local.Dispose();
        }

        return server;
    }

    /// <summary>
    /// A server of its own that a test may stop and start (<see cref="LocalPostgres.StopServerAsync"/>), always a
    /// throwaway local cluster even when <c>MIGRATION_DB</c> is set. Dispose it.
    /// </summary>
    public static Task<LocalPostgres> StartDedicatedServerAsync(CancellationToken cancellationToken = default) =>
        LocalPostgres.StartAsync(cancellationToken: cancellationToken);

    /// <summary>A new context on this database.</summary>
    public MigrationDbContext CreateDbContext() => MigrationDatabase.CreateContext(ConnectionString);

    /// <summary>An open connection to this database.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs a scalar query.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Drops a database on the shared server.</summary>
    public static async Task DropAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = await GetSharedServerAsync(cancellationToken);
        await server.DropDatabaseAsync(name, cancellationToken);
    }

    /// <summary>Drops the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await Server.DropDatabaseAsync(Name);
    }
}
