using Migration.Core.Health;
using Migration.Postgres.Storage;
using Npgsql;

namespace Migration.Postgres.Health;

/// <summary>Readiness probe of the harness database: <c>SELECT 1</c> on the storage's data source.</summary>
internal sealed class PostgresDatabaseHealthProbe : IDatabaseHealthProbe
{
    private readonly MigrationDataSource _dataSource;

    public PostgresDatabaseHealthProbe(MigrationDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
