using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Migration.AspNetCore;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the migration harness's admin and report endpoints.</summary>
public static class MigrationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET {prefix}/report</c> (JSON; <c>since</c> = 30m, 1h, 2d or an ISO-8601 time, <c>model</c>),
    /// <c>GET {prefix}/dashboard</c> (HTML), <c>GET {prefix}/status</c> and <c>PUT|POST {prefix}/shadow</c>
    /// (<c>{"enabled":true,"sampleRate":0.5}</c>), <c>GET {prefix}/canary</c> and <c>POST {prefix}/canary/{command}</c>
    /// (start, pause, resume, promote, promote-full, rollback <c>{"reason":"..."}</c>, set-weight <c>{"weight":25}</c>,
    /// retry, reset). They require the admin key (<c>X-Migration-Key</c> header or
    /// bearer token), or the host's policy named in <c>Migration:Admin:AuthorizationPolicy</c>.
    /// </summary>
    /// <returns>The route group, for further conventions.</returns>
    public static RouteGroupBuilder MapMigrationEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/migration")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        MigrationHarnessServices.EnsureRegistered(endpoints.ServiceProvider, "MapMigrationEndpoints");

        var admin = endpoints.ServiceProvider.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value.Admin;
        var group = endpoints.MapGroup(prefix).WithTags("Migration");
        if (!string.IsNullOrWhiteSpace(admin.AuthorizationPolicy))
        {
            group.RequireAuthorization(admin.AuthorizationPolicy);
        }
        else
        {
            group.AddEndpointFilter(new AdminKeyFilter(admin.ApiKey ?? throw new InvalidOperationException(
                "Migration:Admin:ApiKey: is required unless Admin:AuthorizationPolicy is set")));
        }

        group.MapGet("/report", MigrationEndpoints.GetReportAsync);
        group.MapGet("/dashboard", MigrationEndpoints.GetDashboardAsync).WithMetadata(new DashboardMarker());
        group.MapGet("/timeseries", TimeSeriesEndpoints.GetAsync);
        group.MapGet("/status", MigrationEndpoints.GetStatus);
        group.MapMethods("/shadow", [HttpMethods.Put, HttpMethods.Post], MigrationEndpoints.SetShadowAsync);
        group.MapGet("/canary", CanaryEndpoints.GetAsync);
        group.MapPost("/canary/{command}", CanaryEndpoints.CommandAsync);
        return group;
    }
}
