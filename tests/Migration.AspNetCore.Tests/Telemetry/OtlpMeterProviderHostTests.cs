using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.Core.Exchange;

namespace Migration.AspNetCore.Tests.Telemetry;

/// <summary>
/// The OTLP exporter against a real receiver on Kestrel: a host configured through <c>Migration:Telemetry</c>
/// records harness metrics, and the receiver must get them as OTLP protobuf on the right path with the configured
/// headers. Stopping the host force-flushes the exporter, so no test waits for an export interval.
/// </summary>
public sealed class OtlpMeterProviderHostTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StopAsync_HttpProtobufWithCollectorBaseUrl_PostsProtobufToV1MetricsWithHeaders()
    {
        await using var receiver = await OtlpReceiver.StartHttpAsync();
        var reason = "otlp-test-" + Guid.NewGuid().ToString("N");

        await RunHostAndRecordAsync(receiver.Address.ToString(), reason, new()
        {
            ["Migration:Telemetry:OtlpHeaders"] = "api-key=secret-123,x-tenant=migration",
        });

        var export = await receiver.WaitForAsync(r => r.BodyContains(reason), Limit);
        Assert.NotNull(export);
        Assert.Equal("POST", export.Method);
        Assert.Equal(OtlpReceiver.HttpMetricsPath, export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.True(export.BodyContains(HarnessMetrics.MeterName), "meter name (instrumentation scope) missing from the payload");
        Assert.True(export.BodyContains("migration.requests"), "instrument migration.requests missing from the payload");
        Assert.True(export.BodyContains("migration.request.duration"), "instrument migration.request.duration missing from the payload");
        Assert.Equal("secret-123", export.Headers.GetValueOrDefault("api-key"));
        Assert.Equal("migration", export.Headers.GetValueOrDefault("x-tenant"));
        Assert.DoesNotContain(receiver.Requests, r => r.Path != OtlpReceiver.HttpMetricsPath);
    }

    [Theory]
    [InlineData("/v1/metrics", "/v1/metrics")]
    [InlineData("/otlp/v1/metrics", "/otlp/v1/metrics")]
    [InlineData("", "/v1/metrics")]
    [InlineData("/", "/v1/metrics")]
    public async Task StopAsync_HttpProtobufEndpointPath_FullPathKeptBaseUrlGetsV1Metrics(string configuredPath, string expectedPath)
    {
        await using var receiver = await OtlpReceiver.StartHttpAsync();
        var reason = "otlp-path-" + Guid.NewGuid().ToString("N");
        var endpoint = receiver.Address.GetLeftPart(UriPartial.Authority) + configuredPath;

        await RunHostAndRecordAsync(endpoint, reason, []);

        var export = await receiver.WaitForAsync(r => r.BodyContains(reason), Limit);
        Assert.NotNull(export);
        Assert.Equal(expectedPath, export.Path);
    }

    [Fact]
    public async Task StopAsync_GrpcProtocol_ExportsOverH2cToMetricsServiceExport()
    {
        await using var receiver = await OtlpReceiver.StartGrpcAsync();
        var reason = "otlp-grpc-" + Guid.NewGuid().ToString("N");

        await RunHostAndRecordAsync(receiver.Address.ToString(), reason, new()
        {
            ["Migration:Telemetry:OtlpProtocol"] = "grpc",
            ["Migration:Telemetry:OtlpHeaders"] = "api-key=grpc-secret",
        });

        var export = await receiver.WaitForAsync(r => r.BodyContains(reason), Limit);
        Assert.NotNull(export);
        Assert.Equal(OtlpReceiver.GrpcMetricsPath, export.Path);
        Assert.Equal("HTTP/2", export.Protocol);
        Assert.StartsWith("application/grpc", export.ContentType, StringComparison.Ordinal);
        Assert.True(export.BodyContains(HarnessMetrics.MeterName));
        Assert.True(export.BodyContains("migration.requests"));
        Assert.Equal("grpc-secret", export.Headers.GetValueOrDefault("api-key"));
    }

    [Fact]
    public async Task StartAsync_ShortExportInterval_ExportsPeriodicallyWhileRunning()
    {
        await using var receiver = await OtlpReceiver.StartHttpAsync();
        var reason = "otlp-periodic-" + Guid.NewGuid().ToString("N");
        using var host = BuildHost(receiver.Address.ToString(), new() { ["Migration:Telemetry:ExportInterval"] = "00:00:00.100" });
        await host.StartAsync();
        try
        {
            Record(host.Services, reason);

            // The interval is clamped to 1 s; the export must arrive while the host runs, without a flush on stop.
            var export = await receiver.WaitForAsync(r => r.BodyContains(reason), Limit);
            Assert.NotNull(export);
            Assert.NotNull(host.Services.GetRequiredService<OtlpMeterProviderHost>().Provider);
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.Null(host.Services.GetRequiredService<OtlpMeterProviderHost>().Provider);
    }

    [Theory]
    [InlineData("http://collector:4318", "http/protobuf", "http://collector:4318/v1/metrics")]
    [InlineData("http://collector:4318/", "http/protobuf", "http://collector:4318/v1/metrics")]
    [InlineData("https://collector", "http/protobuf", "https://collector/v1/metrics")]
    [InlineData("http://collector:4318/v1/metrics", "http/protobuf", "http://collector:4318/v1/metrics")]
    [InlineData("https://gateway/otlp/v1/metrics", "http/protobuf", "https://gateway/otlp/v1/metrics")]
    [InlineData("http://collector:4317", "grpc", "http://collector:4317/")]
    public void ResolveEndpoint_Configured_MetricsUrlForTheProtocol(string configured, string protocol, string expected)
    {
        Assert.True(OtlpMeterProviderHost.TryParseProtocol(protocol, out var parsed));

        var endpoint = OtlpMeterProviderHost.ResolveEndpoint(new Uri(configured), parsed);

        Assert.Equal(new Uri(expected), endpoint);
    }

    [Fact]
    public async Task StartAsync_OptionsInCodeWithUnknownProtocol_ThrowsNamingTheKey()
    {
        using var host = new OtlpMeterProviderHost(Options.Create(new OtlpTelemetryOptions { OtlpEndpoint = "http://collector:4318", OtlpProtocol = "http/json" }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(CancellationToken.None));

        Assert.StartsWith("OtlpProtocol:", error.Message, StringComparison.Ordinal);
        Assert.Null(host.Provider);
    }

    private static async Task RunHostAndRecordAsync(string endpoint, string reason, Dictionary<string, string?> settings)
    {
        // A long interval: only the flush on stop exports, so the assertions see the stop path.
        settings["Migration:Telemetry:ExportInterval"] = "00:10:00";
        using var host = BuildHost(endpoint, settings);
        await host.StartAsync();
        Record(host.Services, reason);
        await host.StopAsync();
    }

    private static IHost BuildHost(string endpoint, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        settings["Migration:Telemetry:OtlpEndpoint"] = endpoint;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMetrics();
        builder.Services.AddLogging(l => l.ClearProviders());
        builder.Services.AddMigrationOtlpExporter(builder.Configuration.GetSection("Migration:Telemetry"));
        return builder.Build();
    }

    private static void Record(IServiceProvider services, string reason)
    {
        var queue = new ShadowQueue(Options.Create(new MigrationHarnessOptions()));
        var metrics = new HarnessMetrics(services.GetRequiredService<IMeterFactory>(), queue);

        // The reason tag is unique per test, so an export from another test's meter cannot satisfy the assertion.
        metrics.RequestFinished(TrafficArm.Primary, ErrorClass.None, TimeSpan.FromMilliseconds(42), reason);
    }
}
