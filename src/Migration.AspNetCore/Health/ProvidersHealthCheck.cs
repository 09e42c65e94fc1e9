using Microsoft.Extensions.Diagnostics.HealthChecks;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>Readiness: Unhealthy when both providers are down, Degraded when one is, Healthy otherwise; data lists both.</summary>
internal sealed class ProvidersHealthCheck : IHealthCheck
{
    private readonly ProviderHealthMonitor _monitor;

    public ProvidersHealthCheck(ProviderHealthMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _monitor = monitor;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (primary, candidate) = _monitor.Snapshots();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["primary"] = primary.Name + ": " + HealthNames.Status(primary.Status),
            ["candidate"] = candidate.Name + ": " + HealthNames.Status(candidate.Status),
            ["routeToCandidate"] = _monitor.RouteToCandidate,
        };
        var down = (primary.Status == ProviderStatus.Unhealthy ? 1 : 0) + (candidate.Status == ProviderStatus.Unhealthy ? 1 : 0);
        var description = $"primary {primary.Name} {HealthNames.Status(primary.Status)}, candidate {candidate.Name} {HealthNames.Status(candidate.Status)}"
            + (_monitor.RouteToCandidate ? ", failed over to the candidate" : string.Empty);
        var result = down switch
        {
            0 => HealthCheckResult.Healthy(description, data),
            1 => HealthCheckResult.Degraded(description, data: data),
            _ => HealthCheckResult.Unhealthy(description, data: data),
        };
        return Task.FromResult(result);
    }
}
