using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.Postgres;
using Migration.Postgres.Reporting;
using Migration.Postgres.Retention;
using Migration.Postgres.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PostgreSQL storage for the migration harness.</summary>
public static class MigrationPostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers the record sink (binary COPY batch writer, started as a hosted service), the report queries,
    /// the retention job, a <see cref="MigrationDbContext"/> factory and the canary store (state, NOTIFY feed, leader
    /// lease), all on <paramref name="connectionString"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public static IServiceCollection AddMigrationPostgres(
        this IServiceCollection services,
        string connectionString,
        Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        void Apply(PostgresStorageOptions options)
        {
            options.ConnectionString = connectionString;
            configure?.Invoke(options);
        }

        // Fail at registration with every problem of what was given here; ValidateOnStart covers later Configure calls.
        var given = new PostgresStorageOptions();
        Apply(given);
        var problems = given.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.Options.DefaultName, typeof(PostgresStorageOptions), problems);
        }

        services.AddOptions<PostgresStorageOptions>().Configure(Apply).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStorageOptions>, PostgresStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MigrationPostgresMarker>();

        services.TryAddSingleton(sp => new MigrationDataSource(sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.ConnectionString));
        services.TryAddSingleton<PostgresRecordWriter>();
        services.TryAddSingleton<IRecordSink>(sp => sp.GetRequiredService<PostgresRecordWriter>());
        // TryAddEnumerable: calling AddMigrationPostgres twice must not start the writer or the retention job twice.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresRecordWriter>(sp => sp.GetRequiredService<PostgresRecordWriter>()));

        services.TryAddSingleton<IReportQueries, PostgresReportQueries>();

        services.TryAddSingleton<PostgresRetention>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RetentionHostedService>());

        services.AddDbContextFactory<MigrationDbContext>((sp, builder) =>
            MigrationDbContext.Configure(builder, sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.ConnectionString));

        // The canary state store, its LISTEN/NOTIFY feed and the leader lease: one call gives a host all storage.
        services.AddMigrationPostgresCanary();
        return services;
    }
}
