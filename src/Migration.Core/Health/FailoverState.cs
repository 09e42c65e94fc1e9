namespace Migration.Core.Health;

/// <summary>Where primary-arm traffic goes, and when that last changed (input and output of <see cref="FailoverPolicy"/>).</summary>
/// <param name="RouteToCandidate">True while failed over to the candidate.</param>
/// <param name="LastSwitchAt">When the last switch happened; null before any.</param>
public sealed record FailoverState(bool RouteToCandidate, DateTimeOffset? LastSwitchAt)
{
    /// <summary>Not failed over, never switched.</summary>
    public static FailoverState Initial { get; } = new(false, null);
}
