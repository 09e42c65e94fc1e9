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
    /// = grpc | http/protobuf, <c>OtlpHeaders</c>, <c>ExportInterval</c>; see <see cref="OtlpTelemetryOptions"/>).
    /// Without an endpoint nothing is registered. The endpoint may be the collector's base URL
    /// (<c>http://collector:4318</c>): for http/protobuf, <c>/v1/metrics</c> is appended when it has no path.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <c>OtlpEndpoint</c> is not an absolute http(s) URL or <c>OtlpProtocol</c> is neither grpc nor http/protobuf;
    /// the message names each key with its configuration path.
    /// </exception>
    public static IServiceCollection AddMigrationOtlpExporter(this IServiceCollection services, IConfiguration telemetrySection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(telemetrySection);
        var endpoint = telemetrySection[nameof(OtlpTelemetryOptions.OtlpEndpoint)];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        var path = (telemetrySection as IConfigurationSection)?.Path ?? "Telemetry";
        var problems = new List<string>();
        if (!OtlpMeterProviderHost.TryParseEndpoint(endpoint, out _))
        {
            // "collector:4318" parses as an absolute URI with the scheme "collector": only http and https are endpoints.
            problems.Add($"{path}:{nameof(OtlpTelemetryOptions.OtlpEndpoint)}: must be an absolute http:// or https:// URL, e.g. http://otel-collector:4318 (was '{endpoint}').");
        }

        var protocol = telemetrySection[nameof(OtlpTelemetryOptions.OtlpProtocol)];
        if (protocol is not null && !OtlpMeterProviderHost.TryParseProtocol(protocol, out _))
        {
            problems.Add($"{path}:{nameof(OtlpTelemetryOptions.OtlpProtocol)}: must be 'grpc' or 'http/protobuf' (was '{protocol}').");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        services.AddOptions<OtlpTelemetryOptions>().Bind(telemetrySection);
        services.TryAddSingleton<OtlpMeterProviderHost>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OtlpMeterProviderHost>(static sp => sp.GetRequiredService<OtlpMeterProviderHost>()));
        return services;
    }
}
