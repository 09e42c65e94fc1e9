using Migration.Postgres.Local;
using Npgsql;

namespace Migration.SampleApi.Demo;

/// <summary>The demo's database: MIGRATION_DB when set (left as found), else a throwaway local cluster.</summary>
internal sealed class DemoDatabase : IAsyncDisposable
{
    private readonly LocalPostgres? _owned;

    private DemoDatabase(string connectionString, string description, LocalPostgres? owned)
    {
        ConnectionString = connectionString;
        Description = description;
        _owned = owned;
    }

    public string ConnectionString { get; }

    public string Description { get; }

    public static async Task<DemoDatabase> AcquireAsync(CancellationToken cancellationToken)
    {
        if (PostgresEnvironment.FromEnvironment() is { } fromEnvironment)
        {
            // Reachability is checked by the migration step, which names host and port when it fails.
            var target = new NpgsqlConnectionStringBuilder(fromEnvironment);
            return new DemoDatabase(fromEnvironment, $"{PostgresEnvironment.VariableName} ({target.Host}:{target.Port}, database '{target.Database}')", null);
        }

        var local = await LocalPostgres.StartAsync(cancellationToken: cancellationToken);
        try
        {
            var connectionString = await local.CreateDatabaseAsync("migration_demo", cancellationToken);
            return new DemoDatabase(connectionString, $"throwaway local cluster on {local.Host}:{local.Port} (removed at exit; set {PostgresEnvironment.VariableName} to use your own)", local);
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
