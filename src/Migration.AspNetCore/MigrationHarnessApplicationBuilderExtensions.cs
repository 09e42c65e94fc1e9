using Migration.AspNetCore;
using Migration.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the migration harness to the request pipeline.</summary>
public static class MigrationHarnessApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the harness middleware: it observes the configured OpenAI routes and mirrors sampled requests to the
    /// candidate. Place it before the endpoints that call the primary provider.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <c>AddMigrationHarness</c> was not called, or no storage (record sink, report queries) was registered.
    /// </exception>
    public static IApplicationBuilder UseMigrationHarness(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        MigrationHarnessServices.EnsureRegistered(app.ApplicationServices, "UseMigrationHarness");
        return app.UseMiddleware<MigrationMiddleware>();
    }
}
