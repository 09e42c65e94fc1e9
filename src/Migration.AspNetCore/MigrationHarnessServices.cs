using Microsoft.Extensions.DependencyInjection;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore;

/// <summary>Start-up checks shared by the pipeline and endpoint extensions.</summary>
internal static class MigrationHarnessServices
{
    public static void EnsureRegistered(IServiceProvider services, string caller)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        bool Has(Type type) => isService?.IsService(type) ?? services.GetService(type) is not null;

        if (!Has(typeof(MigrationHarnessMarkerService)))
        {
            throw new InvalidOperationException(
                $"Unable to find the required services. {caller}() needs the migration harness: call "
                + "builder.Services.AddMigrationHarness(builder.Configuration.GetSection(\"Migration\")) when configuring services.");
        }

        if (!Has(typeof(IRecordSink)) || !Has(typeof(IReportQueries)))
        {
            throw new InvalidOperationException(
                $"{caller}() found no storage for the migration harness (no {nameof(IRecordSink)} / {nameof(IReportQueries)} is registered): "
                + "call services.AddMigrationPostgres(connectionString) (or register your own implementations) when configuring services.");
        }
    }
}
