using Microsoft.EntityFrameworkCore;
using Migration.Migrations;
using Migration.Postgres.Local;
using Migration.TestKit;
using Npgsql;

namespace Migration.Postgres.Tests.Migrations;

public sealed class MigrationDatabaseTests
{
    private static readonly string[] Tables = ["canary_events", "canary_state", "candidate_attempts", "shadow_results", "traffic_buckets"];

    [Fact]
    public async Task MigrateAsync_MissingDatabase_CreatesItAndAppliesEveryMigration()
    {
        var server = await TestDatabase.GetSharedServerAsync();
        var name = TestDatabase.UniqueName("migrate_new");
        var connectionString = server.ConnectionStringFor(name);
        try
        {
            await MigrationDatabase.MigrateAsync(connectionString);

            Assert.True(await server.DatabaseExistsAsync(name));
            Assert.Equal(Tables, await TablesAsync(connectionString));
            Assert.Equal(MigrationDatabase.GetMigrations(), await MigrationDatabase.GetAppliedMigrationsAsync(connectionString));
            Assert.Empty(await MigrationDatabase.GetPendingMigrationsAsync(connectionString));
        }
        finally
        {
            await server.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task MigrateAsync_Twice_IsANoOp()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_twice");
        await using (var context = db.CreateDbContext())
        {
            context.CanaryEvents.Add(new Entities.CanaryEventRow { Time = DateTimeOffset.UnixEpoch, FromState = "idle", ToState = "shadow", Actor = "test", Reason = "keep" });
            await context.SaveChangesAsync();
        }

        await MigrationDatabase.MigrateAsync(db.ConnectionString);

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM canary_events"));
        Assert.Equal(MigrationDatabase.GetMigrations().Count, await db.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }

    [Fact]
    public void GenerateIdempotentScript_EqualsCommittedMigrateSql()
    {
        var committed = MigrationDatabase.GetEmbeddedScript();
        Assert.NotNull(committed);

        var generated = MigrationDatabase.GenerateIdempotentScript();

        Assert.True(
            Normalize(committed) == Normalize(generated),
            "migrations/migrate.sql is out of date with the migrations. Regenerate it: " +
            "cd migrations/Migration.Migrations && dotnet build && dotnet ef migrations script --idempotent --no-build -o ../migrate.sql");
    }

    [Fact]
    public void Model_HasNoPendingChanges()
    {
        using var context = MigrationDatabase.CreateContext("Host=127.0.0.1;Database=unused");

        Assert.False(
            context.Database.HasPendingModelChanges(),
            "The model has changes not captured in a migration. Add one: cd migrations/Migration.Migrations && " +
            "dotnet ef migrations add <Name> -o Migrations, then regenerate migrate.sql.");
    }

    [Fact]
    public async Task MigrateSql_AppliedTwiceWithNpgsql_CreatesTheSchema()
    {
        var (server, name, connectionString) = await TestDatabase.CreateEmptyAsync("migrate_sql");
        try
        {
            var script = MigrationDatabase.GetEmbeddedScript()!;
            for (var i = 0; i < 2; i++)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(script.TrimStart('\uFEFF'), connection);
                await command.ExecuteNonQueryAsync();
            }

            Assert.Equal(Tables, await TablesAsync(connectionString));
            Assert.Empty(await MigrationDatabase.GetPendingMigrationsAsync(connectionString));
        }
        finally
        {
            await server.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task MigrateAsync_UnreachableServer_ThrowsNamingHostAndPort()
    {
        using var refused = new RefusedPort();
        var port = refused.Port;
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=secret-pw;Database=migration;Timeout=5";

        var ex = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => MigrationDatabase.MigrateAsync(connectionString));

        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresEnvironment.VariableName, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", ex.Message, StringComparison.Ordinal);
    }

    private static string Normalize(string script) =>
        script.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static async Task<string[]> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_%' ORDER BY table_name",
            connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }
}
