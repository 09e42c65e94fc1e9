namespace Migration.Core.Canary;

public sealed partial class CanaryPolicy
{
    /// <summary>
    /// Applies an operator command at <paramref name="now"/>. A command the state forbids returns
    /// <see cref="CanaryDecisionKind.Rejected"/> with the reason (API: 409); a command whose target is the current
    /// state (pause when paused, rollback at weight 0...) is accepted as a no-op (<see cref="CanaryDecision.Changed"/>
    /// false). Rollback and reset are never rejected.
    /// </summary>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>command</term><description>accepted from (result)</description></listheader>
    /// <item><term>start</term><description>idle, shadow (ramping at the first step)</description></item>
    /// <item><term>pause</term><description>ramping (paused, weight held)</description></item>
    /// <item><term>resume</term><description>paused (ramping at the held weight; the step hold starts again)</description></item>
    /// <item><term>promote</term><description>ramping, paused (the next step above the weight, staying paused if paused; promoted after the last)</description></item>
    /// <item><term>promote-full</term><description>ramping, paused (promoted)</description></item>
    /// <item><term>rollback</term><description>ramping, paused, promoted (rolled back); a no-op at weight 0</description></item>
    /// <item><term>set-weight w</term><description>every state but rolled back. w = 0 returns to shadow; otherwise ramping at
    /// exactly w (manual weight between steps: the next advance goes to the first step above w), or paused at w when
    /// paused. Set-weight 100 ramps at the last step, which promotes once held.</description></item>
    /// <item><term>retry</term><description>rolled back (ramping at the first step)</description></item>
    /// <item><term>reset</term><description>every state (idle)</description></item>
    /// </list>
    /// </remarks>
    public CanaryDecision Apply(CanaryState state, CanaryCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);

        return command.Kind switch
        {
            CanaryCommandKind.Start => Start(state, command, now),
            CanaryCommandKind.Pause => Pause(state, command, now),
            CanaryCommandKind.Resume => Resume(state, command, now),
            CanaryCommandKind.Promote => Promote(state, command, now),
            CanaryCommandKind.PromoteFull => PromoteFull(state, command, now),
            CanaryCommandKind.Rollback => Rollback(state, command, now),
            CanaryCommandKind.SetWeight => SetWeight(state, command, now),
            CanaryCommandKind.Retry => Retry(state, command, now),
            CanaryCommandKind.Reset => Reset(state, command, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.Kind, "Unknown canary command."),
        };
    }

    private CanaryDecision Start(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase switch
    {
        CanaryPhase.Idle or CanaryPhase.Shadow =>
            Applied(state, RampingAt(state, _steps[0], now, WithNote(Invariant($"started: ramping at {Pct(_steps[0])}"), command))),
        CanaryPhase.Paused => Reject(state, "start", "; use resume"),
        CanaryPhase.RolledBack => Reject(state, "start", "; use retry"),
        CanaryPhase.Promoted => Reject(state, "start", "; use reset to start over"),
        _ => Reject(state, "start", string.Empty),
    };

    private CanaryDecision Pause(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase switch
    {
        CanaryPhase.Ramping => Applied(state, Transition(state, now, WithNote(Invariant($"paused at {Pct(state.Weight)}"), command)) with
        {
            Phase = CanaryPhase.Paused,
            PausedFrom = CanaryPhase.Ramping,
        }),
        CanaryPhase.Paused => NoOp(state, Invariant($"already paused at {Pct(state.Weight)}")),
        CanaryPhase.Idle or CanaryPhase.Shadow => Reject(state, "pause", ": nothing is ramping; use start"),
        CanaryPhase.RolledBack => Reject(state, "pause", ": weight is 0; use retry"),
        _ => Reject(state, "pause", ": nothing advances automatically"),
    };

    private CanaryDecision Resume(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase switch
    {
        CanaryPhase.Paused =>
            Applied(state, RampingAt(state, state.Weight, now, WithNote(Invariant($"resumed at {Pct(state.Weight)}"), command))),
        CanaryPhase.Ramping => NoOp(state, Invariant($"already ramping at {Pct(state.Weight)}")),
        CanaryPhase.Idle or CanaryPhase.Shadow => Reject(state, "resume", ": nothing is paused; use start"),
        CanaryPhase.RolledBack => Reject(state, "resume", "; use retry"),
        _ => Reject(state, "resume", ": nothing is paused"),
    };

    private CanaryDecision Promote(CanaryState state, CanaryCommand command, DateTimeOffset now)
    {
        switch (state.Phase)
        {
            case CanaryPhase.Ramping:
            case CanaryPhase.Paused:
                var next = NextStepAbove(state.Weight);
                if (next is null)
                {
                    return Applied(state, Promoted(state, now, WithNote(Invariant($"promoted to 100% by command (from {Pct(state.Weight)})"), command)));
                }

                var reason = WithNote(Invariant($"promoted by command from {Pct(state.Weight)} to {Pct(next.Value)}"), command);
                var ramping = RampingAt(state, next.Value, now, reason);
                return Applied(state, state.Phase == CanaryPhase.Paused
                    ? ramping with { Phase = CanaryPhase.Paused, PausedFrom = state.PausedFrom ?? CanaryPhase.Ramping }
                    : ramping);
            case CanaryPhase.Idle:
            case CanaryPhase.Shadow:
                return Reject(state, "promote", ": the canary has not started; use start");
            case CanaryPhase.RolledBack:
                return Reject(state, "promote", "; use retry");
            default:
                return Reject(state, "promote", ": there is no step above 100%");
        }
    }

    private CanaryDecision PromoteFull(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase switch
    {
        CanaryPhase.Ramping or CanaryPhase.Paused =>
            Applied(state, Promoted(state, now, WithNote(Invariant($"promoted to 100% by command (from {Pct(state.Weight)})"), command))),
        CanaryPhase.Promoted => NoOp(state, "already promoted"),
        CanaryPhase.Idle or CanaryPhase.Shadow => Reject(state, "promote", ": the canary has not started; use start (or set-weight 100)"),
        _ => Reject(state, "promote", "; use retry"),
    };

    private static CanaryDecision Rollback(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase switch
    {
        CanaryPhase.Ramping or CanaryPhase.Paused or CanaryPhase.Promoted =>
            Applied(state, Transition(state, now, WithNote(Invariant($"rolled back by command from {Pct(state.Weight)}"), command)) with
            {
                Phase = CanaryPhase.RolledBack,
                Weight = 0,
                PausedFrom = null,
                StepStartedAt = null,
            }),
        CanaryPhase.RolledBack => NoOp(state, "already rolled back"),
        _ => NoOp(state, Invariant($"nothing to roll back: canary is {Describe(state)}, weight is already 0%")),
    };

    private CanaryDecision SetWeight(CanaryState state, CanaryCommand command, DateTimeOffset now)
    {
        var weight = command.Weight ?? throw new ArgumentException("A set-weight command needs a weight.", nameof(command));
        if (state.Phase == CanaryPhase.RolledBack)
        {
            return Reject(state, "set weight", "; use retry");
        }

        if (weight == state.Weight)
        {
            return NoOp(state, Invariant($"weight is already {Pct(weight)}"));
        }

        var reason = WithNote(Invariant($"weight set to {Pct(weight)} by command (from {Pct(state.Weight)}){(weight == 0 ? ", back to shadow" : string.Empty)}"), command);
        if (weight == 0)
        {
            return Applied(state, Transition(state, now, reason) with
            {
                Phase = CanaryPhase.Shadow,
                Weight = 0,
                StepIndex = -1,
                PausedFrom = null,
                StepStartedAt = null,
            });
        }

        var ramping = RampingAt(state, weight, now, reason);
        return Applied(state, state.Phase == CanaryPhase.Paused
            ? ramping with { Phase = CanaryPhase.Paused, PausedFrom = state.PausedFrom ?? CanaryPhase.Ramping }
            : ramping);
    }

    private CanaryDecision Retry(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase == CanaryPhase.RolledBack
        ? Applied(state, RampingAt(state, _steps[0], now, WithNote(Invariant($"retry after rollback: ramping at {Pct(_steps[0])}"), command)))
        : Reject(state, "retry", ": only a rolled back canary can be retried");

    private static CanaryDecision Reset(CanaryState state, CanaryCommand command, DateTimeOffset now) => state.Phase == CanaryPhase.Idle
        ? NoOp(state, "already idle")
        : Applied(state, Transition(state, now, WithNote(Invariant($"reset to idle (was {Describe(state)})"), command)) with
        {
            Phase = CanaryPhase.Idle,
            Weight = 0,
            StepIndex = -1,
            PausedFrom = null,
            StepStartedAt = null,
        });

    private static CanaryDecision Applied(CanaryState state, CanaryState next) =>
        Decide(state, next, CanaryDecisionKind.CommandApplied, next.Reason, null);

    private static CanaryDecision NoOp(CanaryState state, string reason) =>
        Decide(state, state, CanaryDecisionKind.CommandApplied, reason, null);

    private static CanaryDecision Reject(CanaryState state, string verb, string hint) =>
        Decide(state, state, CanaryDecisionKind.Rejected, Invariant($"cannot {verb}: canary is {Describe(state)}{hint}"), null);

    private static string WithNote(string text, CanaryCommand command) =>
        command.Note is null ? text : text + ": " + command.Note;

    private static string Describe(CanaryState state) => state.Phase switch
    {
        CanaryPhase.Idle => "idle",
        CanaryPhase.Shadow => "in shadow mode",
        CanaryPhase.Ramping => Invariant($"ramping at {Pct(state.Weight)}"),
        CanaryPhase.Paused => Invariant($"paused at {Pct(state.Weight)}"),
        CanaryPhase.RolledBack => "rolled back",
        CanaryPhase.Promoted => "promoted",
        _ => state.Phase.ToString(),
    };
}
