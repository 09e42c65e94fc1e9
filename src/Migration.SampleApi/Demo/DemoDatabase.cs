using System.Security.Cryptography;
using Migration.Postgres.Local;
using Npgsql;

namespace Migration.SampleApi.Demo;

/// <summary>
/// The demo's database: a fresh database of its own on the server of MIGRATION_DB when set (dropped at exit, so a
/// second run starts clean and the user's own database is not touched), else a throwaway local cluster.
/// </summary>
internal sealed class DemoDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly string _name;

    private DemoDatabase(PostgresServer server, string name, string connectionString, string description)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
        Description = description;
    }

    public string ConnectionString { get; }

    public string Description { get; }

    /// <exception cref="DatabaseUnavailableException">MIGRATION_DB is set but its server is not reachable (names host and port).</exception>
    public static async Task<DemoDatabase> AcquireAsync(CancellationToken cancellationToken)
    {
        var server = await PostgresServer.AcquireAsync(cancellationToken);
        try
        {
            var name = "migration_demo_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var connectionString = await server.CreateDatabaseAsync(name, cancellationToken);
            var description = server.IsOwned
                ? $"throwaway local cluster on {server.Host}:{server.Port} (removed at exit; set {PostgresEnvironment.VariableName} to use your own server)"
                : $"{PostgresEnvironment.VariableName} server {server.Host}:{server.Port}, database '{name}' created for this run and dropped at exit";
            return new DemoDatabase(server, name, connectionString, description);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_server.IsOwned)
            {
                NpgsqlConnection.ClearAllPools();
                await _server.DropDatabaseAsync(_name);
            }
        }
        finally
        {
            await _server.DisposeAsync();
        }
    }
}
