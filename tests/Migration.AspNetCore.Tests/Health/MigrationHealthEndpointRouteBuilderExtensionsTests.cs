using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Health;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests.Health;

public sealed class MigrationHealthEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task HealthEndpoints_ProvidersAndDatabase_ReportEachCheck()
    {
        var database = new SwitchableDatabase();
        await using var host = await StartAsync(database);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<ProviderHealthMonitor>();

        var (status, body) = await GetAsync(client, "/health/ready");
        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());

        for (var i = 0; i < 2; i++)
        {
            monitor.RecordProbe(ProviderRole.Primary, false, TimeSpan.Zero, "HTTP 503");
        }

        (status, body) = await GetAsync(client, "/health/ready");
        Assert.Equal(200, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());

        for (var i = 0; i < 3; i++)
        {
            monitor.RecordProbe(ProviderRole.Candidate, false, TimeSpan.Zero, "connection refused");
        }

        (status, body) = await GetAsync(client, "/health/ready");
        Assert.Equal(503, status);
        var providers = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "providers");
        Assert.Equal("Unhealthy", providers.GetProperty("status").GetString());
        Assert.Equal("openai: unhealthy", providers.GetProperty("data").GetProperty("primary").GetString());

        database.Down = true;
        (status, body) = await GetAsync(client, "/health/ready");
        var db = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.Equal(503, status);
        Assert.Equal("Unhealthy", db.GetProperty("status").GetString());
        // The kind of failure, not the exception's message (which names host, port or user).
        Assert.Equal("database unreachable (HttpRequestException); details in the server log", db.GetProperty("description").GetString());
        Assert.DoesNotContain("refused", body.GetRawText(), StringComparison.Ordinal);

        (status, body) = await GetAsync(client, "/health/live");
        Assert.Equal(200, status);
        Assert.Empty(body.GetProperty("checks").EnumerateArray());
    }

    [Fact]
    public async Task MigrationHealth_AdminKey_RequiredAndListsProviders()
    {
        await using var host = await StartAsync(new SwitchableDatabase());
        using var client = host.CreateClient();

        using var anonymous = await client.GetAsync("/migration/health");
        client.DefaultRequestHeaders.Add("X-Migration-Key", TestOptions.AdminKey);
        var (status, body) = await GetAsync(client, "/migration/health");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(200, status);
        Assert.False(body.GetProperty("failover").GetProperty("routeToCandidate").GetBoolean());
        Assert.True(body.GetProperty("failover").GetProperty("enabled").GetBoolean());
        Assert.Equal(["primary", "candidate"], body.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("role").GetString()!).ToArray());
        Assert.Equal("unknown", body.GetProperty("providers")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void AddMigrationHealth_AfterHarness_ReplacesNoFailoverAndNullReporter()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRecordSink>(new RecordingSink());
        services.AddSingleton<IReportQueries>(new FakeReportQueries());
        services.AddMigrationHarness(TestOptions.Valid());
        services.AddMigrationHealth(o => o.ProbesEnabled = false);
        using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<ProviderHealthMonitor>();
        Assert.Same(monitor, provider.GetRequiredService<IFailoverState>());
        Assert.Same(monitor, provider.GetRequiredService<IProviderHealthReporter>());
    }

    [Fact]
    public void MapMigrationHealthChecks_WithoutAddMigrationHealth_ExplainsWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapMigrationHealthChecks());

        Assert.Contains("AddMigrationHealth", ex.Message, StringComparison.Ordinal);
    }

    private static Task<KestrelHost> StartAsync(SwitchableDatabase database) => KestrelHost.StartAsync(
        builder =>
        {
            builder.Services.AddSingleton<IRecordSink>(new RecordingSink());
            builder.Services.AddSingleton<IReportQueries>(new FakeReportQueries());
            builder.Services.AddSingleton<IDatabaseHealthProbe>(database);
            builder.Services.AddMigrationHarness(TestOptions.Valid(more: o => o.Primary.Name = "openai"));
            builder.Services.AddMigrationHealth(o => o.ProbesEnabled = false);
        },
        app => app.MapMigrationHealthChecks());

    private static async Task<(int Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>A database probe that answers or fails like a refused connection.</summary>
    private sealed class SwitchableDatabase : IDatabaseHealthProbe
    {
        public volatile bool Down;

        public Task PingAsync(CancellationToken cancellationToken) =>
            Down ? Task.FromException(new HttpRequestException("connection refused")) : Task.CompletedTask;
    }
}
