using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>One automatic route change, to record as an event (actor <c>health</c>) and alert.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="ToCandidate">True for a failover to the candidate, false for a failback to the primary.</param>
/// <param name="Reason">Why, with the numbers.</param>
/// <param name="Primary">The primary's health at the switch.</param>
/// <param name="Candidate">The candidate's health at the switch.</param>
internal sealed record FailoverSwitch(DateTimeOffset Time, bool ToCandidate, string Reason, ProviderHealthSnapshot Primary, ProviderHealthSnapshot Candidate)
    : HealthChange(Time, Reason, Primary, Candidate);
