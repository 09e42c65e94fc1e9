using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>A provider's status changed (with the tracker's hysteresis): recorded as an event (actor <c>health</c>), not alerted.</summary>
/// <param name="Time">When the monitor saw it.</param>
/// <param name="Role">The provider that changed.</param>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
/// <param name="Reason">What changed and why, with the numbers.</param>
/// <param name="Primary">The primary's health at the time.</param>
/// <param name="Candidate">The candidate's health at the time.</param>
/// <param name="Route">The failover route at the time (before any switch this change causes).</param>
/// <param name="RouteReason">The reason of the last switch; null before any.</param>
internal sealed record ProviderStatusChange(
    DateTimeOffset Time,
    ProviderRole Role,
    ProviderStatus From,
    ProviderStatus To,
    string Reason,
    ProviderHealthSnapshot Primary,
    ProviderHealthSnapshot Candidate,
    FailoverState Route,
    string? RouteReason)
    : HealthChange(Time, Reason, Primary, Candidate);
