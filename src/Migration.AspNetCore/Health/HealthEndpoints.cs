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

    /// <summary>
    /// The <c>providers</c> object of <c>GET {prefix}/status</c>: both providers' health and whether primary-arm
    /// traffic is failed over; null when health monitoring is not registered (<c>AddMigrationHealth</c>).
    /// </summary>
    internal static object? StatusProviders(ProviderHealthMonitor? monitor, DateTimeOffset now)
    {
        if (monitor is null)
        {
            return null;
        }

        var (primary, candidate) = monitor.Snapshots();
        var state = monitor.State;
        return new
        {
            failoverActive = state.RouteToCandidate,
            failoverEnabled = monitor.FailoverEnabled,
            lastSwitchAt = state.LastSwitchAt,
            reason = monitor.LastReason,
            primary = Describe("primary", primary, now),
            candidate = Describe("candidate", candidate, now),
        };
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
