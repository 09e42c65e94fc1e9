using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Tests;

public class MigrationEndpointRouteBuilderExtensionsTests
{
    private static async Task<IReadOnlyList<RouteEndpoint>> MapAsync(Action<Migration.AspNetCore.Configuration.MigrationHarnessOptions> configure, string prefix)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Services.AddAuthorization(o => o.AddPolicy("MigrationAdmins", p => p.RequireAuthenticatedUser()));
        builder.Services.AddSingleton<IRecordSink>(new RecordingSink());
        builder.Services.AddSingleton<IReportQueries>(new FakeReportQueries());
        builder.Services.AddMigrationHarness(TestOptions.Valid(more: configure));
        await using var app = builder.Build();

        app.MapMigrationEndpoints(prefix);

        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
    }

    [Fact]
    public async Task MapMigrationEndpoints_Prefix_MapsEveryRouteUnderIt()
    {
        var endpoints = await MapAsync(_ => { }, "/ops/migration");

        var routes = endpoints.Select(e => e.RoutePattern.RawText?.TrimEnd('/')).ToHashSet();
        Assert.Equal(["/ops/migration/report", "/ops/migration/dashboard", "/ops/migration/timeseries", "/ops/migration/status", "/ops/migration/shadow", "/ops/migration/canary", "/ops/migration/canary/{command}"], routes);
        var shadow = endpoints.Single(e => e.RoutePattern.RawText!.EndsWith("/shadow", StringComparison.Ordinal));
        Assert.Equal([HttpMethods.Put, HttpMethods.Post], shadow.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods);
    }

    [Fact]
    public async Task MapMigrationEndpoints_AuthorizationPolicyConfigured_RequiresThatPolicyOnEveryEndpoint()
    {
        var endpoints = await MapAsync(o =>
        {
            o.Admin.ApiKey = null;
            o.Admin.AuthorizationPolicy = "MigrationAdmins";
        }, "/migration");

        Assert.Equal(7, endpoints.Count);
        Assert.All(endpoints, e => Assert.Contains(e.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy == "MigrationAdmins"));
    }

    [Fact]
    public async Task MapMigrationEndpoints_KeyConfigured_RequiresNoHostPolicy()
    {
        var endpoints = await MapAsync(_ => { }, "/migration");

        Assert.All(endpoints, e => Assert.Empty(e.Metadata.GetOrderedMetadata<IAuthorizeData>()));
    }
}
