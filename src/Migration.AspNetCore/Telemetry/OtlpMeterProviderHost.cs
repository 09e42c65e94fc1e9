using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Migration.AspNetCore.Telemetry;

/// <summary>
/// Owns the OpenTelemetry <see cref="MeterProvider"/> that exports the meter <c>Migration.Harness</c> over OTLP:
/// built when the host starts, flushed and disposed when it stops (OpenTelemetry.Extensions.Hosting is not used).
/// </summary>
/// <remarks>
/// OpenTelemetry's exporter uses an endpoint set in code as is for http/protobuf (it appends the signal path only to
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), so a collector base URL such as <c>http://collector:4318</c> would be posted
/// to <c>/</c> and rejected. <see cref="ResolveEndpoint"/> appends <c>/v1/metrics</c> when the URL has no path; a
/// URL with a path is the full metrics URL. For gRPC the exporter itself appends the service method.
/// </remarks>
internal sealed class OtlpMeterProviderHost : IHostedService, IDisposable
{
    /// <summary>The OTLP/HTTP metrics path a collector serves.</summary>
    internal const string HttpMetricsPath = "/v1/metrics";

    private readonly OtlpTelemetryOptions _options;
    private MeterProvider? _provider;

    public OtlpMeterProviderHost(IOptions<OtlpTelemetryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>The provider while the host runs.</summary>
    public MeterProvider? Provider => _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.OtlpEndpoint))
        {
            return Task.CompletedTask;
        }

        // Both were checked at registration (AddMigrationOtlpExporter); options configured in code fail here.
        if (!TryParseEndpoint(_options.OtlpEndpoint, out var configured))
        {
            throw new InvalidOperationException($"OtlpEndpoint: must be an absolute http:// or https:// URL (was '{_options.OtlpEndpoint}').");
        }

        if (!TryParseProtocol(_options.OtlpProtocol, out var protocol))
        {
            throw new InvalidOperationException($"OtlpProtocol: must be 'grpc' or 'http/protobuf' (was '{_options.OtlpProtocol}').");
        }

        var endpoint = ResolveEndpoint(configured, protocol);
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(HarnessMetrics.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = protocol;
                if (!string.IsNullOrWhiteSpace(_options.OtlpHeaders))
                {
                    exporter.Headers = _options.OtlpHeaders;
                }

                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Max(1000, _options.ExportInterval.TotalMilliseconds);
            })
            .Build();
        return Task.CompletedTask;
    }

    /// <summary>An absolute http or https URL.</summary>
    internal static bool TryParseEndpoint(string? value, [NotNullWhen(true)] out Uri? endpoint)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            endpoint = uri;
            return true;
        }

        endpoint = null;
        return false;
    }

    /// <summary><c>grpc</c> or <c>http/protobuf</c> (case-insensitive).</summary>
    internal static bool TryParseProtocol(string? value, out OtlpExportProtocol protocol)
    {
        if (string.Equals(value, "grpc", StringComparison.OrdinalIgnoreCase))
        {
            protocol = OtlpExportProtocol.Grpc;
            return true;
        }

        protocol = OtlpExportProtocol.HttpProtobuf;
        return string.Equals(value, "http/protobuf", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The URL the exporter is given: for http/protobuf a URL without a path gets <c>/v1/metrics</c>.</summary>
    internal static Uri ResolveEndpoint(Uri endpoint, OtlpExportProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (protocol != OtlpExportProtocol.HttpProtobuf || endpoint.AbsolutePath != "/")
        {
            return endpoint;
        }

        return new UriBuilder(endpoint) { Path = HttpMetricsPath }.Uri;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _provider?.ForceFlush(2000);
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _provider = null;
    }
}
