using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.Core.Reporting;

/// <summary>Canary section of the report: where the ramp is, the last decision and the recent events (newest first).</summary>
/// <param name="State">State name: idle, shadow, ramping, paused, rolled_back, promoted.</param>
/// <param name="Weight">Percent of live traffic on the candidate.</param>
/// <param name="Step">1-based step of the ramp; null when not on a step.</param>
/// <param name="StepIndex">0-based step index, -1 when none.</param>
/// <param name="LastDecision">The last stored decision (controller evaluation or command).</param>
/// <param name="Events">Recent state changes with actor, reason and numbers, newest first.</param>
public sealed record CanaryReport(
    string State,
    double Weight,
    int? Step,
    int StepIndex,
    CanaryDecisionRecord? LastDecision,
    IReadOnlyList<CanaryEventRecord> Events)
{
    /// <summary>The section for a stored state and its events.</summary>
    public static CanaryReport From(CanaryStoreState state, IReadOnlyList<CanaryEventRecord> events, IReadOnlyList<double> steps)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(steps);
        var s = state.State;
        return new CanaryReport(s.Phase.ToName(), s.Weight, StepNumber(s, steps), s.StepIndex, state.LastDecision, events);
    }

    /// <summary>The 1-based step number of a state; null when it is not on a step (idle, rolled back...).</summary>
    public static int? StepNumber(CanaryState state, IReadOnlyList<double> steps)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(steps);
        return state.Phase is CanaryPhase.Ramping or CanaryPhase.Paused or CanaryPhase.Promoted && state.StepIndex >= 0 && state.StepIndex < steps.Count
            ? state.StepIndex + 1
            : null;
    }
}
