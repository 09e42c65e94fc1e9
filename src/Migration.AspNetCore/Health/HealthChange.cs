using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Something the <see cref="ProviderHealthMonitor"/> saw that is recorded as a health event (actor <c>health</c>):
/// a provider status change (<see cref="ProviderStatusChange"/>) or an automatic route switch
/// (<see cref="FailoverSwitch"/>). One queue carries both, so events are recorded in the order they happened.
/// </summary>
/// <param name="Time">When it happened.</param>
/// <param name="Reason">Why, with the numbers.</param>
/// <param name="Primary">The primary's health at the time.</param>
/// <param name="Candidate">The candidate's health at the time.</param>
internal abstract record HealthChange(DateTimeOffset Time, string Reason, ProviderHealthSnapshot Primary, ProviderHealthSnapshot Candidate);
