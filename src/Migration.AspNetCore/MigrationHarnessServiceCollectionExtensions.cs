using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Migration.AspNetCore;
using Migration.AspNetCore.Alerts;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Routing;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Traffic;
using Migration.Core.Comparison;
using Migration.Core.Health;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the LLM provider migration harness.</summary>
public static class MigrationHarnessServiceCollectionExtensions
{
    /// <summary>The configuration path used in validation messages when options are configured in code.</summary>
    internal const string DefaultSectionPath = "Migration";

    /// <summary>
    /// Adds the harness with options bound from <paramref name="section"/> (e.g.
    /// <c>builder.Configuration.GetSection("Migration")</c>), validated at start-up. Storage is registered
    /// separately (e.g. <c>services.AddMigrationPostgres(connectionString)</c>).
    /// </summary>
    public static IServiceCollection AddMigrationHarness(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<MigrationHarnessOptions>().Bind(section);
        var path = section is IConfigurationSection named ? named.Path : string.Empty;
        return services.AddMigrationHarnessCore(path);
    }

    /// <summary>Adds the harness with options configured in code, validated at start-up.</summary>
    public static IServiceCollection AddMigrationHarness(this IServiceCollection services, Action<MigrationHarnessOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddMigrationHarnessCore(DefaultSectionPath);
    }

    private static IServiceCollection AddMigrationHarnessCore(this IServiceCollection services, string sectionPath)
    {
        services.TryAddSingleton<MigrationHarnessMarkerService>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddLogging();

        services.AddFluentValidatedOptions<MigrationHarnessOptions>(sectionPath);

        services.TryAddSingleton<ShadowControl>();
        services.TryAddSingleton<ShadowSampler>();
        services.TryAddSingleton<ShadowQueue>();
        services.TryAddSingleton<TrafficAggregator>();
        services.TryAddSingleton<HarnessMetrics>();
        services.TryAddSingleton<CandidateClient>();
        services.TryAddSingleton<ShadowResultFactory>();
        services.TryAddSingleton<NoiseFloor>();
        services.TryAddSingleton<IResponseComparer>(static sp =>
            new DefaultResponseComparer(sp.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value.Comparison));
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value;
            return new ReportBuilder(
                sp.GetRequiredService<IReportQueries>(),
                options.Readiness,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ICanaryStateStore>(),
                options.Canary.Migration,
                options.Canary.ToPolicyOptions().EffectiveSteps);
        });

        services.TryAddSingleton(static sp => new TimeSeriesBuilder(
            sp.GetRequiredService<IReportQueries>(),
            sp.GetService<ICanaryStateStore>(),
            sp.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value.Canary.Migration));

        // Canary and failover routing. The flag is served from the in-memory snapshot of canary_state; without a
        // canary store (AddMigrationPostgres) the weight stays 0 and the controller does not run.
        services.TryAddSingleton<IFailoverState>(NoFailover.Instance);
        services.TryAddSingleton<IProviderHealthReporter>(NullProviderHealthReporter.Instance);
        services.TryAddSingleton<CanaryStateCache>();
        services.TryAddSingleton<CanaryFeatureDefinitionProvider>();
        services.TryAddSingleton<CanaryAssignment>();
        services.TryAddSingleton<CandidateForwarder>();
        services.TryAddSingleton<ExchangeRouter>();
        services.TryAddSingleton<ExchangePipeline>();

        // Middleware mode: the app's own calls to Primary:BaseUrl through IHttpClientFactory are the primary's
        // passive health signals (and the evidence to serve a failed request from the candidate).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, PrimaryCallObserverFilter>());
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<CanaryAlertSender>();
        services.TryAddSingleton<CanaryStateRefresher>();
        services.TryAddSingleton<CanaryController>();
        services.TryAddSingleton<IMaintenanceLeadership, ControllerMaintenanceLeadership>();

        services.TryAddSingleton<ShadowDispatcher>();
        services.TryAddSingleton<TrafficFlusher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ShadowDispatcher>(static sp => sp.GetRequiredService<ShadowDispatcher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TrafficFlusher>(static sp => sp.GetRequiredService<TrafficFlusher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CanaryStateRefresher>(static sp => sp.GetRequiredService<CanaryStateRefresher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookSender>(static sp => sp.GetRequiredService<WebhookSender>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CanaryController>(static sp => sp.GetRequiredService<CanaryController>()));

        // The record sink lets these finish before it stops, in this order: the shadow drains, then the last
        // traffic second (the drained exchanges' shadow traffic included) is handed over.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordProducer, ShadowDispatcher>(static sp => sp.GetRequiredService<ShadowDispatcher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordProducer, TrafficFlusher>(static sp => sp.GetRequiredService<TrafficFlusher>()));
        return services;
    }
}
