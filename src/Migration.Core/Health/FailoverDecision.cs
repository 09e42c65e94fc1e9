namespace Migration.Core.Health;

/// <summary>The outcome of <see cref="FailoverPolicy.Evaluate"/>.</summary>
/// <param name="Previous">The state evaluated.</param>
/// <param name="Next">The state to apply (the same instance as <paramref name="Previous"/> when nothing changed).</param>
/// <param name="Reason">Why, with the numbers involved.</param>
/// <param name="Primary">The primary's health that was judged.</param>
/// <param name="Candidate">The candidate's health that was judged.</param>
public sealed record FailoverDecision(
    FailoverState Previous,
    FailoverState Next,
    string Reason,
    ProviderHealthSnapshot Primary,
    ProviderHealthSnapshot Candidate)
{
    /// <summary>True when the route changed (an event to record and alert).</summary>
    public bool Switched => Previous.RouteToCandidate != Next.RouteToCandidate;
}
