using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Migration.AspNetCore.Telemetry;

namespace Migration.AspNetCore.Tests.Telemetry;

public sealed class OtlpExporterServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AddMigrationOtlpExporter_NoEndpoint_RegistersNothing(string? endpoint)
    {
        var services = new ServiceCollection();

        services.AddMigrationOtlpExporter(Section(new() { ["Migration:Telemetry:OtlpEndpoint"] = endpoint, ["Migration:Telemetry:OtlpProtocol"] = "nonsense" }));

        Assert.Empty(services);
    }

    [Fact]
    public void AddMigrationOtlpExporter_Endpoint_RegistersOneHostedProviderOnce()
    {
        var services = new ServiceCollection();
        var section = Section(new() { ["Migration:Telemetry:OtlpEndpoint"] = "http://collector:4318" });

        services.AddMigrationOtlpExporter(section);
        services.AddMigrationOtlpExporter(section);

        Assert.Single(services, d => d.ServiceType == typeof(OtlpMeterProviderHost));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/v1/metrics")]
    [InlineData("otel-collector:4318")]
    [InlineData("ftp://collector:4318")]
    public void AddMigrationOtlpExporter_InvalidEndpoint_ThrowsNamingTheKey(string endpoint)
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() =>
            services.AddMigrationOtlpExporter(Section(new() { ["Migration:Telemetry:OtlpEndpoint"] = endpoint })));

        Assert.StartsWith("Migration:Telemetry:OtlpEndpoint: must be an absolute http:// or https:// URL", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public void AddMigrationOtlpExporter_InvalidEndpointAndProtocol_ListsBothKeys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMigrationOtlpExporter(Section(new()
        {
            ["Migration:Telemetry:OtlpEndpoint"] = "collector",
            ["Migration:Telemetry:OtlpProtocol"] = "http/json",
        })));

        Assert.Contains("Migration:Telemetry:OtlpEndpoint:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Migration:Telemetry:OtlpProtocol: must be 'grpc' or 'http/protobuf' (was 'http/json').", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("GRPC")]
    [InlineData("http/protobuf")]
    public void AddMigrationOtlpExporter_KnownProtocol_Registers(string protocol)
    {
        var services = new ServiceCollection();

        services.AddMigrationOtlpExporter(Section(new() { ["Migration:Telemetry:OtlpEndpoint"] = "https://collector:4317", ["Migration:Telemetry:OtlpProtocol"] = protocol }));

        Assert.Single(services, d => d.ServiceType == typeof(OtlpMeterProviderHost));
    }

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Migration:Telemetry");
}
