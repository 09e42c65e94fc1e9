using Migration.Postgres.Local;
using Migration.TestKit;

namespace Migration.Postgres.Tests.Local;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task AcquireAsync_UnreachableConnectionString_ThrowsNamingHostAndPort()
    {
        using var refused = new RefusedPort();
        var port = refused.Port;

        var ex = await Assert.ThrowsAsync<DatabaseUnavailableException>(
            () => PostgresServer.AcquireAsync($"Host=127.0.0.1;Port={port};Username=postgres;Password=pw;Timeout=5", null));

        Assert.Equal("127.0.0.1", ex.Host);
        Assert.Equal(port, ex.Port);
        Assert.StartsWith($"PostgreSQL at 127.0.0.1:{port} is not reachable (connection refused).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_ReachableConnectionString_IsNotOwnedAndLeftRunning()
    {
        var shared = await TestDatabase.GetSharedServerAsync();

        var external = await PostgresServer.AcquireAsync(shared.ConnectionString, null);
        await external.DisposeAsync();

        Assert.False(external.IsOwned);
        Assert.Null(external.Local);
        Assert.True(await shared.DatabaseExistsAsync("postgres"));
    }

    [Fact]
    public async Task AcquireAsync_NoConnectionString_StartsAnOwnedLocalServer()
    {
        var server = await PostgresServer.AcquireAsync(null, null);
        var directory = server.Local!.Directory;

        Assert.True(server.IsOwned);
        Assert.True(await server.DatabaseExistsAsync("postgres"));
        await server.DisposeAsync();
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task CreateDatabaseAsync_ThenDrop_DatabaseComesAndGoes()
    {
        var server = await TestDatabase.GetSharedServerAsync();
        var name = TestDatabase.UniqueName("create_drop");

        var connectionString = await server.CreateDatabaseAsync(name);
        var existed = await server.DatabaseExistsAsync(name);
        await server.DropDatabaseAsync(name);

        Assert.True(existed);
        Assert.Contains(name, connectionString, StringComparison.Ordinal);
        Assert.False(await server.DatabaseExistsAsync(name));
    }
}
