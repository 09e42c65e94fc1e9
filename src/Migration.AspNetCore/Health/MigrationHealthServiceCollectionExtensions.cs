using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Migration.AspNetCore.Alerts;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Health;
using Migration.Core.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers provider health probes, automatic failover, health checks and their metrics.</summary>
public static class MigrationHealthServiceCollectionExtensions
{
    /// <summary>The health check tag of readiness checks (<c>/health/ready</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds health monitoring with options bound from the <c>Health</c> child of <paramref name="migrationSection"/>
    /// (the harness's section, e.g. <c>builder.Configuration.GetSection("Migration")</c>, as given to
    /// <c>AddMigrationHarness</c>): active probes of both providers, the real <see cref="IFailoverState"/> (replacing
    /// the default <see cref="NoFailover"/>), <see cref="IProviderHealthReporter"/> for live outcomes, failover events
    /// and alerts, the health checks <c>database</c> and <c>providers</c> (tag <see cref="ReadyTag"/>) and, when
    /// <c>Telemetry:OtlpEndpoint</c> is set, the OTLP metrics exporter. Map the endpoints with
    /// <c>app.MapMigrationHealthChecks()</c>.
    /// </summary>
    public static IServiceCollection AddMigrationHealth(this IServiceCollection services, IConfiguration migrationSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(migrationSection);
        var health = migrationSection.GetSection("Health");
        services.AddOptions<HealthOptions>().Bind(health);
        var path = health is IConfigurationSection named ? named.Path : "Migration:Health";
        services.AddMigrationOtlpExporter(migrationSection.GetSection("Telemetry"));
        return services.AddMigrationHealthCore(path);
    }

    /// <summary>Adds health monitoring with options configured in code (see the other overload).</summary>
    public static IServiceCollection AddMigrationHealth(this IServiceCollection services, Action<HealthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddMigrationHealthCore("Migration:Health");
    }

    private static IServiceCollection AddMigrationHealthCore(this IServiceCollection services, string path)
    {
        if (services.Any(d => d.ServiceType == typeof(HealthMarker)))
        {
            return services;
        }

        services.AddSingleton<HealthMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddLogging();
        services.AddFluentValidatedOptions<HealthOptions>(path);

        services.TryAddSingleton<HealthMetrics>();
        services.TryAddSingleton<ProviderHealthMonitor>();
        // Replace, not TryAdd: the harness registers NoFailover / the null reporter as defaults.
        services.Replace(ServiceDescriptor.Singleton<IFailoverState>(static sp => sp.GetRequiredService<ProviderHealthMonitor>()));
        services.Replace(ServiceDescriptor.Singleton<IProviderHealthReporter>(static sp => sp.GetRequiredService<ProviderHealthMonitor>()));

        services.TryAddSingleton<ProviderProbeService>();
        services.TryAddSingleton<FailoverEventPublisher>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookSender>(static sp => sp.GetRequiredService<WebhookSender>()));
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<ProviderProbeService>());
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<FailoverEventPublisher>());

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<ProvidersHealthCheck>("providers", HealthStatus.Unhealthy, [ReadyTag]);
        return services;
    }

    /// <summary>Marks that <c>AddMigrationHealth</c> ran (idempotent registration).</summary>
    internal sealed class HealthMarker;
}
