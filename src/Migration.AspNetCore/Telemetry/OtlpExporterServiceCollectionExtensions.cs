using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Migration.AspNetCore.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the optional OpenTelemetry OTLP exporter of the harness's metrics.</summary>
public static class OtlpExporterServiceCollectionExtensions
{
    /// <summary>
    /// Exports the meter <c>Migration.Harness</c> over OTLP when <c>OtlpEndpoint</c> is set in
    /// <paramref name="telemetrySection"/> (by convention <c>Migration:Telemetry</c>; also <c>OtlpProtocol</c>
    /// = grpc | http/protobuf, <c>OtlpHeaders</c>, <c>ExportInterval</c>). Without an endpoint nothing is registered.
    /// </summary>
    public static IServiceCollection AddMigrationOtlpExporter(this IServiceCollection services, IConfiguration telemetrySection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(telemetrySection);
        if (string.IsNullOrWhiteSpace(telemetrySection["OtlpEndpoint"]))
        {
            return services;
        }

        if (!Uri.TryCreate(telemetrySection["OtlpEndpoint"], UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"{(telemetrySection as IConfigurationSection)?.Path ?? "Telemetry"}:OtlpEndpoint: must be an absolute URL.");
        }

        services.AddOptions<OtlpTelemetryOptions>().Bind(telemetrySection);
        services.TryAddSingleton<OtlpMeterProviderHost>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OtlpMeterProviderHost>(static sp => sp.GetRequiredService<OtlpMeterProviderHost>()));
        return services;
    }
}
