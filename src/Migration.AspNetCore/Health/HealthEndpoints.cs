using Microsoft.AspNetCore.Http;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary><c>GET {prefix}/health</c>: both providers' health and the failover route, for operators and the CLI.</summary>
internal static class HealthEndpoints
{
    public static IResult GetHealth(ProviderHealthMonitor monitor, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var (primary, candidate) = monitor.Snapshots();
        var state = monitor.State;
        return Results.Json(new
        {
            time = now,
            failover = new
            {
                enabled = monitor.FailoverEnabled,
                routeToCandidate = state.RouteToCandidate,
                lastSwitchAt = state.LastSwitchAt,
                cooldownSeconds = monitor.Cooldown.TotalSeconds,
                reason = monitor.LastReason,
            },
            providers = new[] { Describe("primary", primary, now), Describe("candidate", candidate, now) },
        });
    }

    internal static object Describe(string role, ProviderHealthSnapshot s, DateTimeOffset now) => new
    {
        role,
        name = s.Name,
        status = HealthNames.Status(s.Status),
        since = s.Since,
        secondsInStatus = Math.Round(s.TimeInStatus(now).TotalSeconds, 1),
        consecutiveFailures = s.ConsecutiveFailures,
        consecutiveSuccesses = s.ConsecutiveSuccesses,
        samples = s.Samples,
        successRate = s.SuccessRate,
        averageLatencyMs = s.AverageLatency is { } l ? Math.Round(l.TotalMilliseconds, 1) : (double?)null,
        timeToFirstTokenMs = s.LastTimeToFirstToken is { } t ? Math.Round(t.TotalMilliseconds, 1) : (double?)null,
        lastSignalAt = s.LastSignalAt,
        lastError = s.LastError,
    };
}
