using Migration.AspNetCore.Telemetry;
using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>Wire names used in metrics tags, JSON and events.</summary>
internal static class HealthNames
{
    public static string Role(ProviderRole role) => role == ProviderRole.Primary ? "primary" : "candidate";

    public static string Status(ProviderStatus status) => FailoverPolicy.Name(status);

    public static string Outcome(ErrorClass outcome) => HarnessMetrics.OutcomeName(outcome);

    /// <summary>The gauge value of a status: 2 healthy, 1 degraded, 0 unhealthy, -1 unknown.</summary>
    public static int GaugeValue(ProviderStatus status) => status switch
    {
        ProviderStatus.Healthy => 2,
        ProviderStatus.Degraded => 1,
        ProviderStatus.Unhealthy => 0,
        _ => -1,
    };
}
