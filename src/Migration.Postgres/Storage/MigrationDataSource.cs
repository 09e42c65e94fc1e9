using Npgsql;

namespace Migration.Postgres.Storage;

/// <summary>The storage's own Npgsql data source (kept apart from any data source the host registers).</summary>
internal sealed class MigrationDataSource : IAsyncDisposable, IDisposable
{
    public MigrationDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
