using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Endpoints;
using Migration.AspNetCore.Health;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the harness's health endpoints.</summary>
public static class MigrationHealthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /health/live</c> (the process is up; runs no check), <c>GET /health/ready</c> (database and
    /// providers: 200 Healthy or Degraded, 503 Unhealthy; JSON listing each check) and <c>GET {prefix}/health</c>
    /// (both providers' numbers and the failover route, behind the admin key or policy like the other
    /// <c>{prefix}</c> endpoints). Requires <c>services.AddMigrationHealth(...)</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapMigrationHealthChecks(this IEndpointRouteBuilder endpoints, string prefix = "/migration")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<ProviderHealthMonitor>() is null)
        {
            throw new InvalidOperationException(
                "MapMigrationHealthChecks needs the health services: call services.AddMigrationHealth(builder.Configuration.GetSection(\"Migration\")).");
        }

        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = static _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains(MigrationHealthServiceCollectionExtensions.ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

        var details = endpoints.MapGet(prefix.TrimEnd('/') + "/health", HealthEndpoints.GetHealth).WithTags("Migration");
        var admin = endpoints.ServiceProvider.GetService<IOptions<MigrationHarnessOptions>>()?.Value.Admin;
        if (!string.IsNullOrWhiteSpace(admin?.AuthorizationPolicy))
        {
            details.RequireAuthorization(admin.AuthorizationPolicy);
        }
        else if (!string.IsNullOrWhiteSpace(admin?.ApiKey))
        {
            details.AddEndpointFilter(new AdminKeyFilter(admin.ApiKey));
        }
        else
        {
            throw new InvalidOperationException("Migration:Admin:ApiKey: is required unless Admin:AuthorizationPolicy is set");
        }

        return endpoints;
    }
}
