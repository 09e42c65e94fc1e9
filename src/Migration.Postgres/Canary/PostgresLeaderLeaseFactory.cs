using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Migration.Core.Storage;

namespace Migration.Postgres.Canary;

/// <summary>Creates <see cref="PostgresLeaderLease"/>s on one connection string.</summary>
internal sealed class PostgresLeaderLeaseFactory : ILeaderLeaseFactory
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public PostgresLeaderLeaseFactory(string connectionString, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        _connectionString = connectionString;
        _time = time;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    public ILeaderLease Create(string migration, string instance) =>
        new PostgresLeaderLease(_connectionString, migration, instance, _time, _loggers.CreateLogger<PostgresLeaderLease>());
}
