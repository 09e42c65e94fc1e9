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
internal sealed class OtlpMeterProviderHost : IHostedService, IDisposable
{
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

        var endpoint = new Uri(_options.OtlpEndpoint, UriKind.Absolute);
        var protocol = string.Equals(_options.OtlpProtocol, "grpc", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.Grpc
            : OtlpExportProtocol.HttpProtobuf;
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
