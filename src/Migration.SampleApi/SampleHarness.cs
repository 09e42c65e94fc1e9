namespace Migration.SampleApi;

/// <summary>
/// How both sample apps add the harness when a <c>Migration</c> section is configured: the services (options
/// validated at start-up, health probes, PostgreSQL storage) and the report, dashboard and admin endpoints. What
/// differs is where the traffic is observed: the gateway puts the middleware before its endpoints, the support app
/// puts the handler on its provider HttpClient.
/// </summary>
internal static class SampleHarness
{
    /// <summary>Whether the harness is on: a <c>Migration</c> section exists (or <c>Migration:Enabled</c> says so).</summary>
    public static bool IsOn(IConfiguration configuration)
    {
        var migration = configuration.GetSection("Migration");
        return migration.GetValue("Enabled", migration.Exists());
    }

    /// <summary>Adds the harness services, health and storage.</summary>
    public static void AddServices(WebApplicationBuilder builder)
    {
        var migration = builder.Configuration.GetSection("Migration");
        builder.Services
            .AddMigrationHarness(migration)
            .AddMigrationHealth(migration)
            .AddMigrationPostgres(ResolveConnectionString(builder.Configuration));
    }

    /// <summary>Maps <c>/migration/*</c> (report, dashboard, admin) and the health endpoints.</summary>
    public static void MapEndpoints(WebApplication app)
    {
        app.MapMigrationEndpoints();
        app.MapMigrationHealthChecks();
    }

    private static string ResolveConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Migration")
        ?? configuration["MIGRATION_DB"]
        ?? throw new InvalidOperationException(
            "The migration harness needs PostgreSQL: set ConnectionStrings:Migration (env ConnectionStrings__Migration) or MIGRATION_DB.");
}
