namespace Migration.Core.Canary;

/// <summary>What kind of outcome a <see cref="CanaryDecision"/> is.</summary>
public enum CanaryDecisionKind
{
    /// <summary>Evaluation: nothing changes (too little data, step not held long enough, or a state that does not ramp).</summary>
    Hold = 0,

    /// <summary>Evaluation: the step held with enough data and nothing tripped; next step.</summary>
    Advance = 1,

    /// <summary>Evaluation: the last step held; promoted to 100 %.</summary>
    Promote = 2,

    /// <summary>Evaluation: a threshold tripped; weight 0 at once.</summary>
    Rollback = 3,

    /// <summary>A command was accepted (possibly a no-op: see <see cref="CanaryDecision.Changed"/>).</summary>
    CommandApplied = 4,

    /// <summary>A command the state forbids; the state is unchanged and the reason says why (API: 409).</summary>
    Rejected = 5,
}
