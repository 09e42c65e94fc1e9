using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests;

public class MigrationHarnessApplicationBuilderExtensionsTests
{
    private static WebApplication Build(Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        services(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task UseMigrationHarness_WithoutAddMigrationHarness_ThrowsNamingTheMissingCall()
    {
        await using var app = Build(_ => { });

        var error = Assert.Throws<InvalidOperationException>(() => app.UseMigrationHarness());

        Assert.Contains("AddMigrationHarness(builder.Configuration.GetSection(\"Migration\"))", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseMigrationHarness_WithoutStorage_ThrowsNamingAddMigrationPostgres()
    {
        await using var app = Build(s => s.AddMigrationHarness(TestOptions.Valid()));

        var error = Assert.Throws<InvalidOperationException>(() => app.UseMigrationHarness());

        Assert.Contains("services.AddMigrationPostgres(connectionString)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapMigrationEndpoints_WithoutStorage_ThrowsNamingAddMigrationPostgres()
    {
        await using var app = Build(s => s.AddMigrationHarness(TestOptions.Valid()));

        var error = Assert.Throws<InvalidOperationException>(() => app.MapMigrationEndpoints());

        Assert.Contains("AddMigrationPostgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_RefusesToStartListingEveryProblem()
    {
        await using var app = Build(s =>
        {
            s.AddSingleton<IRecordSink>(new RecordingSink());
            s.AddSingleton<IReportQueries>(new FakeReportQueries());
            s.AddMigrationHarness(o =>
            {
                o.Candidate.BaseUrl = "foo";
                o.Shadow.SampleRate = 1.5;
            });
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Migration:Candidate:BaseUrl: must be an absolute http or https URL (got 'foo')", error.Failures);
        Assert.Contains("Migration:Shadow:SampleRate: must be between 0 and 1 (got 1.5)", error.Failures);
        Assert.Contains("Migration:Admin:ApiKey: is required unless Admin:AuthorizationPolicy is set", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Candidate:ApiKey: is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AddMigrationHarness_CalledTwice_RegistersHostedServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddMigrationHarness(TestOptions.Valid());
        services.AddMigrationHarness(TestOptions.Valid());

        // Shadow dispatcher, traffic flusher, canary state refresher, canary alert sender, canary controller.
        Assert.Equal(5, services.Count(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)));
        Assert.Single(services, d => d.ServiceType == typeof(Microsoft.Extensions.Options.IValidateOptions<MigrationHarnessOptions>));
    }
}
