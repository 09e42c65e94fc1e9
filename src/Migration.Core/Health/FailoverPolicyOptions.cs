namespace Migration.Core.Health;

/// <summary>Rules of <see cref="FailoverPolicy"/>.</summary>
public sealed record FailoverPolicyOptions
{
    /// <summary>Whether a dead primary fails over to the candidate at all. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// How long the primary must have been Healthy before traffic moves back, and the least time between two
    /// planned switches (so flapping causes at most one switch per cooldown). Default 60 s.
    /// </summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(60);
}
