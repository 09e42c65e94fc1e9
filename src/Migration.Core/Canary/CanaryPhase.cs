namespace Migration.Core.Canary;

/// <summary>
/// Where the canary is. The live weight (percent of traffic served by the candidate) follows from it:
/// <see cref="Idle"/>, <see cref="Shadow"/> and <see cref="RolledBack"/> route nothing, <see cref="Ramping"/>
/// routes its step's weight, <see cref="Paused"/> holds the weight it had, <see cref="Promoted"/> routes 100 %.
/// </summary>
public enum CanaryPhase
{
    /// <summary>Nothing started. Weight 0. Stored as <c>idle</c>.</summary>
    Idle = 0,

    /// <summary>Shadow traffic only, no live traffic on the candidate. Weight 0. Stored as <c>shadow</c>.</summary>
    Shadow = 1,

    /// <summary>Live traffic on the candidate at a step's weight; the controller advances or rolls back. Stored as <c>ramping</c>.</summary>
    Ramping = 2,

    /// <summary>Held at the weight it had: no automatic advance (automatic rollback still applies by default). Stored as <c>paused</c>.</summary>
    Paused = 3,

    /// <summary>Rolled back (automatically or by command). Weight 0 until a retry. Stored as <c>rolled_back</c>.</summary>
    RolledBack = 4,

    /// <summary>The candidate serves everything. Weight 100. Stored as <c>promoted</c>.</summary>
    Promoted = 5,
}
