using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.Core.Health;
using Migration.Core.Storage;
using Migration.Postgres;
using Migration.Postgres.Canary;
using Migration.Postgres.Health;
using Migration.Postgres.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL canary state store, its change notifications and the leader lease.</summary>
public static class MigrationPostgresCanaryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICanaryStateStore"/>, <see cref="ICanaryChangeNotifications"/> (LISTEN/NOTIFY) and
    /// <see cref="ILeaderLeaseFactory"/> (advisory lock) on the connection string given to
    /// <c>AddMigrationPostgres</c> (<see cref="PostgresStorageOptions.ConnectionString"/>), which must be called too.
    /// </summary>
    public static IServiceCollection AddMigrationPostgresCanary(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new MigrationDataSource(ConnectionString(sp)));
        services.TryAddSingleton<ICanaryStateStore>(sp => new PostgresCanaryStore(
            sp.GetRequiredService<MigrationDataSource>().DataSource,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDatabaseHealthProbe>(sp => new PostgresDatabaseHealthProbe(sp.GetRequiredService<MigrationDataSource>()));
        services.TryAddSingleton<ICanaryChangeNotifications>(sp => new PostgresCanaryNotifications(
            ConnectionString(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<PostgresCanaryNotifications>>()));
        services.TryAddSingleton<ILeaderLeaseFactory>(sp => new PostgresLeaderLeaseFactory(
            ConnectionString(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }

    private static string ConnectionString(IServiceProvider services)
    {
        var connectionString = services.GetService<IOptions<PostgresStorageOptions>>()?.Value.ConnectionString;
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                "The canary store needs a PostgreSQL connection string: call services.AddMigrationPostgres(connectionString) as well.")
            : connectionString;
    }
}
