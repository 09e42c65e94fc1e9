using System.Diagnostics;
using System.Globalization;
using Migration.Postgres.Local;
using Npgsql;

namespace Migration.Postgres.Tests.Local;

public sealed class LocalPostgresTests
{
    [Fact]
    public async Task StartAsync_Default_AcceptsConnectionsOnLoopback()
    {
        await using var server = await LocalPostgres.StartAsync();

        Assert.Equal("127.0.0.1", server.Host);
        Assert.True(server.Port > 0);
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW max_connections", connection);
        Assert.Equal("200", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task StopServerAsync_ThenStartServerAsync_KeepsPortAndData()
    {
        await using var server = await LocalPostgres.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("kept");
        await ExecuteAsync(connectionString, "CREATE TABLE t (v int); INSERT INTO t VALUES (42);");
        var port = server.Port;

        await server.StopServerAsync();
        NpgsqlConnection.ClearAllPools();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));
        await server.StartServerAsync();

        Assert.Equal(port, server.Port);
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(42, await ScalarAsync(connectionString, "SELECT v FROM t"));
    }

    [Fact]
    public async Task DisposeAsync_Started_StopsServerAndDeletesFolder()
    {
        var server = await LocalPostgres.StartAsync();
        var directory = server.Directory;
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false, Timeout = 3 }.ConnectionString;

        await server.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));
    }

    [Fact]
    public async Task StartAsync_StaleClusterOfDeadProcess_IsStoppedAndDeleted()
    {
        var root = Path.Combine(Path.GetTempPath(), "mpg-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // A cluster whose owner died: still running, owner.pid names a process that no longer exists.
            var orphan = await LocalPostgres.StartAsync(new LocalPostgresOptions { RootDirectory = root });
            var orphanDir = orphan.Directory;
            var orphanConnection = new NpgsqlConnectionStringBuilder(orphan.ConnectionString) { Pooling = false, Timeout = 3 }.ConnectionString;
            await File.WriteAllTextAsync(Path.Combine(orphanDir, "owner.pid"), DeadPid().ToString(CultureInfo.InvariantCulture) + "\n0\n");

            await using var next = await LocalPostgres.StartAsync(new LocalPostgresOptions { RootDirectory = root });

            Assert.False(Directory.Exists(orphanDir));
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(orphanConnection, "SELECT 1"));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
