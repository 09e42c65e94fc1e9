using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Migration.Postgres;
using Migration.Postgres.Local;

namespace Migration.Migrations;

/// <summary>Applies the schema from code (demo, tests, <c>migrationctl db migrate</c>).</summary>
public static class MigrationDatabase
{
    /// <summary>Name of the embedded idempotent script (the committed <c>migrations/migrate.sql</c>).</summary>
    public const string ScriptResourceName = "migrate.sql";

    // Generating a script needs no server.
    private const string OfflineConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Database=migration";

    /// <summary>
    /// Creates the database when missing (through the <c>postgres</c> maintenance database), then applies every
    /// pending migration. Safe to run concurrently and repeatedly.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">The server cannot be reached.</exception>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await EnsureDatabaseAsync(connectionString, cancellationToken).ConfigureAwait(false);
        await using var context = CreateContext(connectionString);
        try
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && DatabaseUnavailableException.TryCreate(connectionString, ex) is not null)
        {
            throw DatabaseUnavailableException.TryCreate(connectionString, ex)!;
        }
    }

    /// <summary>Creates the database named by the connection string when it does not exist; true when created.</summary>
    /// <exception cref="DatabaseUnavailableException">The server cannot be reached.</exception>
    public static async Task<bool> EnsureDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        try
        {
            await using var connection = await PostgresAdmin.OpenAsync(probe, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return await PostgresAdmin.CreateDatabaseAsync(connectionString, PostgresAdmin.DatabaseOf(connectionString), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Every migration in this assembly, oldest first.</summary>
    public static IReadOnlyList<string> GetMigrations()
    {
        using var context = CreateContext(OfflineConnectionString);
        return context.Database.GetMigrations().ToList();
    }

    /// <summary>Migrations applied to the database, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> GetAppliedMigrationsAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext(connectionString);
        return (await WrapAsync(connectionString, () => context.Database.GetAppliedMigrationsAsync(cancellationToken)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Migrations not yet applied to the database, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext(connectionString);
        return (await WrapAsync(connectionString, () => context.Database.GetPendingMigrationsAsync(cancellationToken)).ConfigureAwait(false)).ToList();
    }

    /// <summary>The idempotent SQL script of all migrations, as <c>dotnet ef migrations script --idempotent</c> writes it.</summary>
    public static string GenerateIdempotentScript()
    {
        using var context = CreateContext(OfflineConnectionString);
        var migrator = context.GetService<IMigrator>();
        return migrator.GenerateScript(fromMigration: null, toMigration: null, MigrationsSqlGenerationOptions.Idempotent);
    }

    /// <summary>The committed <c>migrations/migrate.sql</c> embedded at build time, or null when it was missing.</summary>
    public static string? GetEmbeddedScript()
    {
        using var stream = typeof(MigrationDatabase).Assembly.GetManifestResourceStream(ScriptResourceName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A context on <paramref name="connectionString"/> configured with this migrations assembly.</summary>
    public static MigrationDbContext CreateContext(string connectionString) => new(MigrationDbContext.CreateOptions(connectionString));

    private static async Task<T> WrapAsync<T>(string connectionString, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && DatabaseUnavailableException.TryCreate(connectionString, ex) is not null)
        {
            throw DatabaseUnavailableException.TryCreate(connectionString, ex)!;
        }
    }

    internal static Assembly Assembly => typeof(MigrationDatabase).Assembly;
}
