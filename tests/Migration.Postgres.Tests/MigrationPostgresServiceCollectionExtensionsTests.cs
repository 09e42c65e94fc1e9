using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.Postgres.Reporting;
using Migration.Postgres.Retention;
using Migration.Postgres.Storage;
using Migration.TestKit;

namespace Migration.Postgres.Tests;

public sealed class MigrationPostgresServiceCollectionExtensionsTests
{
    [Fact]
    public void AddMigrationPostgres_InvalidOptions_ThrowsListingEveryProblem()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<OptionsValidationException>(() => services.AddMigrationPostgres("", o =>
        {
            o.BatchSize = 0;
            o.FlushInterval = TimeSpan.Zero;
            o.RetentionDays = -1;
        }));

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains("Migration:Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Migration:Storage:BatchSize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Migration:Storage:FlushInterval", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Migration:Storage:RetentionDays", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMigrationPostgres_ConfiguredLaterInvalid_FailsValidationOnResolve()
    {
        var services = new ServiceCollection();
        services.AddMigrationPostgres("Host=127.0.0.1;Database=x");
        services.Configure<PostgresStorageOptions>(o => o.BufferCapacity = 1);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgresStorageOptions>>().Value);

        Assert.Contains("BufferCapacity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMigrationPostgres_CalledTwice_OneWriterAndOneRetentionJob()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMigrationPostgres("Host=127.0.0.1;Username=postgres;Database=x");
        services.AddMigrationPostgres("Host=127.0.0.1;Username=postgres;Database=x");
        await using var provider = services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().ToList();

        Assert.Single(hosted, h => h is PostgresRecordWriter);
        Assert.Single(hosted, h => h is RetentionHostedService);
    }

    [Fact]
    public async Task AddMigrationPostgres_HostedServicesStarted_RecordsLandAndEveryServiceResolves()
    {
        await using var db = await TestDatabase.CreateAsync("registration");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMigrationPostgres(db.ConnectionString, o => o.FlushInterval = TimeSpan.FromMilliseconds(20));
        await using var provider = services.BuildServiceProvider();

        var sink = provider.GetRequiredService<IRecordSink>();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        // Dated now: the retention service runs once at start and would delete an old row (a race with the writer).
        Assert.True(sink.TryWrite(Records.Shadow(1) with { Time = TimeProvider.System.GetUtcNow() }));
        await Records.EventuallyAsync(() => sink.Stats.Written == 1, "record written by the hosted writer");
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.IsType<PostgresRecordWriter>(sink);
        Assert.Contains(hosted, h => ReferenceEquals(h, sink));
        Assert.Contains(hosted, h => h is RetentionHostedService);
        Assert.IsType<PostgresReportQueries>(provider.GetRequiredService<IReportQueries>());
        Assert.True(provider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(MigrationPostgresMarker)));
        var factory = provider.GetRequiredService<IDbContextFactory<MigrationDbContext>>();
        await using var context = await factory.CreateDbContextAsync();
        Assert.Equal("req-1", (await context.ShadowResults.SingleAsync()).RequestId);
    }
}
