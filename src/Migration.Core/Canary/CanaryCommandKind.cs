namespace Migration.Core.Canary;

/// <summary>What an operator asks of the canary (admin API, CLI).</summary>
public enum CanaryCommandKind
{
    /// <summary>Begin the ramp at the first step (from idle or shadow).</summary>
    Start = 0,

    /// <summary>Hold the current weight; no automatic advance.</summary>
    Pause = 1,

    /// <summary>Continue a paused ramp at its weight; the step hold starts again.</summary>
    Resume = 2,

    /// <summary>Go to the next step (promoted after the last).</summary>
    Promote = 3,

    /// <summary>Go to 100 % at once (promoted).</summary>
    PromoteFull = 4,

    /// <summary>Weight 0 at once; always accepted.</summary>
    Rollback = 5,

    /// <summary>Set an arbitrary weight 0..100 (0 returns to shadow).</summary>
    SetWeight = 6,

    /// <summary>Start the ramp again at the first step after a rollback.</summary>
    Retry = 7,

    /// <summary>Back to idle, weight 0, from anywhere.</summary>
    Reset = 8,
}
