using Migration.Core.Canary;
using static Migration.Core.Tests.Canary.CanaryTestData;

namespace Migration.Core.Tests.Canary;

public partial class CanaryPolicyTests
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(3);

    /// <summary>
    /// Every command in every state. Expected: "rejected", "noop" (accepted, nothing changes) or
    /// "phase weight" of the resulting state.
    /// </summary>
    public static TheoryData<string, CanaryPhase, string> CommandMatrix()
    {
        var data = new TheoryData<string, CanaryPhase, string>();
        void Row(string command, string idle, string shadow, string ramping, string paused, string rolledBack, string promoted)
        {
            data.Add(command, CanaryPhase.Idle, idle);
            data.Add(command, CanaryPhase.Shadow, shadow);
            data.Add(command, CanaryPhase.Ramping, ramping);
            data.Add(command, CanaryPhase.Paused, paused);
            data.Add(command, CanaryPhase.RolledBack, rolledBack);
            data.Add(command, CanaryPhase.Promoted, promoted);
        }

        // Ramping and paused sit at 10 % (step 1); promoted at 100 %.
        Row("start", "ramping 5", "ramping 5", "rejected", "rejected", "rejected", "rejected");
        Row("pause", "rejected", "rejected", "paused 10", "noop", "rejected", "rejected");
        Row("resume", "rejected", "rejected", "noop", "ramping 10", "rejected", "rejected");
        Row("promote", "rejected", "rejected", "ramping 25", "paused 25", "rejected", "rejected");
        Row("promote-full", "rejected", "rejected", "promoted 100", "promoted 100", "rejected", "noop");
        Row("rollback", "noop", "noop", "rolledback 0", "rolledback 0", "noop", "rolledback 0");
        Row("set-weight 25", "ramping 25", "ramping 25", "ramping 25", "paused 25", "rejected", "ramping 25");
        Row("set-weight 10", "ramping 10", "ramping 10", "noop", "noop", "rejected", "ramping 10");
        Row("set-weight 0", "noop", "noop", "shadow 0", "shadow 0", "rejected", "shadow 0");
        Row("set-weight 100", "ramping 100", "ramping 100", "ramping 100", "paused 100", "rejected", "noop");
        Row("retry", "rejected", "rejected", "rejected", "rejected", "ramping 5", "rejected");
        Row("reset", "noop", "idle 0", "idle 0", "idle 0", "idle 0", "idle 0");
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandMatrix))]
    public void Apply_EveryCommandInEveryState_FollowsTheTable(string command, CanaryPhase phase, string expected)
    {
        var state = StateFor(phase);

        var decision = Policy().Apply(state, ParseCommand(command), Now);

        switch (expected)
        {
            case "rejected":
                Assert.Equal(CanaryDecisionKind.Rejected, decision.Kind);
                Assert.Same(state, decision.Next);
                Assert.False(decision.Changed);
                Assert.StartsWith("cannot ", decision.Reason, StringComparison.Ordinal);
                break;
            case "noop":
                Assert.Equal(CanaryDecisionKind.CommandApplied, decision.Kind);
                Assert.Same(state, decision.Next);
                Assert.False(decision.Changed);
                break;
            default:
                var parts = expected.Split(' ');
                Assert.Equal(CanaryDecisionKind.CommandApplied, decision.Kind);
                Assert.True(decision.Changed);
                Assert.Equal(parts[0], decision.Next.Phase.ToString().ToLowerInvariant());
                Assert.Equal(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), decision.Weight);
                Assert.Equal(state.Version + 1, decision.Next.Version);
                Assert.Equal(Now, decision.Next.UpdatedAt);
                Assert.Equal(decision.Reason, decision.Next.Reason);
                Assert.Null(decision.Metrics);
                AssertConsistent(decision.Next);
                break;
        }
    }

    [Fact]
    public void Apply_PromoteWhileRolledBack_RejectedWithHint()
    {
        var decision = Policy().Apply(StateFor(CanaryPhase.RolledBack), CanaryCommand.Promote(), Now);

        Assert.Equal(CanaryDecisionKind.Rejected, decision.Kind);
        Assert.Equal("cannot promote: canary is rolled back; use retry", decision.Reason);
    }

    [Theory]
    [InlineData(CanaryPhase.Paused, "cannot start: canary is paused at 10%; use resume")]
    [InlineData(CanaryPhase.RolledBack, "cannot start: canary is rolled back; use retry")]
    [InlineData(CanaryPhase.Ramping, "cannot start: canary is ramping at 10%")]
    public void Apply_StartWhenAlreadyStarted_RejectedWithReason(CanaryPhase phase, string reason)
    {
        Assert.Equal(reason, Policy().Apply(StateFor(phase), CanaryCommand.Start(), Now).Reason);
    }

    [Fact]
    public void Apply_Start_RampsAtFirstStepWithHoldFromNow()
    {
        var next = Policy().Apply(CanaryState.Initial, CanaryCommand.Start(), Now).Next;

        Assert.Equal(CanaryPhase.Ramping, next.Phase);
        Assert.Equal(5, next.Weight);
        Assert.Equal(0, next.StepIndex);
        Assert.Equal(Now, next.StepStartedAt);
        Assert.Equal(1, next.Version);
        Assert.Equal("started: ramping at 5%", next.Reason);
    }

    [Fact]
    public void Apply_Pause_HoldsWeightAndStep()
    {
        var state = StateFor(CanaryPhase.Ramping);

        var next = Policy().Apply(state, CanaryCommand.Pause("investigating latency"), Now).Next;

        Assert.Equal(CanaryPhase.Paused, next.Phase);
        Assert.Equal(10, next.Weight);
        Assert.Equal(1, next.StepIndex);
        Assert.Equal(CanaryPhase.Ramping, next.PausedFrom);
        Assert.Equal(state.StepStartedAt, next.StepStartedAt);
        Assert.Equal("paused at 10%: investigating latency", next.Reason);
    }

    [Fact]
    public void Apply_Resume_RestartsTheStepHold()
    {
        var policy = Policy();
        var paused = policy.Apply(StateFor(CanaryPhase.Ramping), CanaryCommand.Pause(), T0.AddMinutes(1)).Next;

        var resumed = policy.Apply(paused, CanaryCommand.Resume(), T0.AddMinutes(30)).Next;

        Assert.Equal(CanaryPhase.Ramping, resumed.Phase);
        Assert.Null(resumed.PausedFrom);
        Assert.Equal(T0.AddMinutes(30), resumed.StepStartedAt);
        Assert.Equal(CanaryDecisionKind.Hold, policy.Evaluate(resumed, Traffic(400), Primary(), T0.AddMinutes(34)).Kind);
        Assert.Equal(CanaryDecisionKind.Advance, policy.Evaluate(resumed, Traffic(400), Primary(), T0.AddMinutes(35)).Kind);
    }

    [Fact]
    public void Apply_PromoteAtLastStep_Promotes()
    {
        var decision = Policy().Apply(Ramping(100, 4), CanaryCommand.Promote(), Now);

        Assert.Equal(CanaryDecisionKind.CommandApplied, decision.Kind);
        Assert.Equal(CanaryPhase.Promoted, decision.Next.Phase);
        Assert.Equal(100, decision.Weight);
    }

    [Fact]
    public void Apply_PromoteWhilePausedAtLastStep_Promotes()
    {
        var decision = Policy().Apply(State(CanaryPhase.Paused, 100, 4), CanaryCommand.Promote(), Now);

        Assert.Equal(CanaryPhase.Promoted, decision.Next.Phase);
        Assert.Null(decision.Next.PausedFrom);
    }

    [Fact]
    public void Apply_Promote_MovesToNextStepWithFreshHold()
    {
        var next = Policy().Apply(Ramping(25, 2), CanaryCommand.Promote(), Now).Next;

        Assert.Equal(50, next.Weight);
        Assert.Equal(3, next.StepIndex);
        Assert.Equal(Now, next.StepStartedAt);
        Assert.Equal("promoted by command from 25% to 50%", next.Reason);
    }

    [Fact]
    public void Apply_RollbackWithReason_ZeroWeightAndReasonKept()
    {
        var next = Policy().Apply(Ramping(50, 3), CanaryCommand.Rollback("p99 too high in eu-west"), Now).Next;

        Assert.Equal(CanaryPhase.RolledBack, next.Phase);
        Assert.Equal(0, next.Weight);
        Assert.Equal(3, next.StepIndex);
        Assert.Null(next.StepStartedAt);
        Assert.Equal("rolled back by command from 50%: p99 too high in eu-west", next.Reason);
    }

    [Fact]
    public void Apply_RollbackFromPromoted_RoutesNothing()
    {
        var decision = Policy().Apply(StateFor(CanaryPhase.Promoted), CanaryCommand.Rollback(), Now);

        Assert.Equal(CanaryPhase.RolledBack, decision.Next.Phase);
        Assert.Equal(0, decision.Weight);
    }

    [Fact]
    public void Apply_RollbackAtWeightZero_AcceptedAsNoOp()
    {
        var decision = Policy().Apply(CanaryState.Initial, CanaryCommand.Rollback(), Now);

        Assert.Equal(CanaryDecisionKind.CommandApplied, decision.Kind);
        Assert.False(decision.Changed);
        Assert.Equal("nothing to roll back: canary is idle, weight is already 0%", decision.Reason);
    }

    [Fact]
    public void Apply_RetryAfterAutomaticRollback_RampsAgainFromFirstStep()
    {
        var policy = Policy();
        var rolledBack = policy.Evaluate(Ramping(50, 3), Traffic(400, failures: 100), Primary(), T0.AddMinutes(1)).Next;
        Assert.Equal(CanaryDecisionKind.Rejected, policy.Apply(rolledBack, CanaryCommand.Start(), T0.AddMinutes(2)).Kind);

        var retried = policy.Apply(rolledBack, CanaryCommand.Retry("fixed the key"), T0.AddMinutes(10));

        Assert.Equal(CanaryDecisionKind.CommandApplied, retried.Kind);
        Assert.Equal(CanaryPhase.Ramping, retried.Next.Phase);
        Assert.Equal(5, retried.Weight);
        Assert.Equal(0, retried.Next.StepIndex);
        Assert.Equal(T0.AddMinutes(10), retried.Next.StepStartedAt);
        Assert.Equal("retry after rollback: ramping at 5%: fixed the key", retried.Next.Reason);
        Assert.Equal(CanaryDecisionKind.Advance, policy.Evaluate(retried.Next, Traffic(400), Primary(), T0.AddMinutes(15)).Kind);
    }

    [Fact]
    public void Apply_SetWeightBetweenSteps_RampsAtExactWeightAndNextAdvanceGoesToStepAbove()
    {
        var policy = Policy();

        var next = policy.Apply(Ramping(5, 0), CanaryCommand.SetWeight(17), Now).Next;
        var advanced = policy.Evaluate(next, Traffic(400), Primary(), Now + Hold).Next;

        Assert.Equal(17, next.Weight);
        Assert.Equal(1, next.StepIndex);
        Assert.Equal(Now, next.StepStartedAt);
        Assert.Equal("weight set to 17% by command (from 5%)", next.Reason);
        Assert.Equal(25, advanced.Weight);
    }

    [Fact]
    public void Apply_SetWeightBelowFirstStep_StepIndexMinusOneAndAdvancesToFirstStep()
    {
        var policy = Policy();

        var next = policy.Apply(CanaryState.Initial, CanaryCommand.SetWeight(2.5), Now).Next;
        var advanced = policy.Evaluate(next, Traffic(400), Primary(), Now + Hold).Next;

        Assert.Equal(CanaryPhase.Ramping, next.Phase);
        Assert.Equal(-1, next.StepIndex);
        Assert.Equal(5, advanced.Weight);
    }

    [Fact]
    public void Apply_SetWeight100_RampsAtLastStepAndPromotesOnceHeld()
    {
        var policy = Policy();

        var next = policy.Apply(Ramping(25, 2), CanaryCommand.SetWeight(100), Now).Next;
        var decision = policy.Evaluate(next, Traffic(400), Primary(0), Now + Hold);

        Assert.Equal(CanaryPhase.Ramping, next.Phase);
        Assert.Equal(4, next.StepIndex);
        Assert.Equal(CanaryDecisionKind.Promote, decision.Kind);
    }

    [Fact]
    public void Apply_SetWeightZero_ReturnsToShadow()
    {
        var next = Policy().Apply(Ramping(25, 2), CanaryCommand.SetWeight(0), Now).Next;

        Assert.Equal(CanaryPhase.Shadow, next.Phase);
        Assert.Equal(0, next.Weight);
        Assert.Equal(-1, next.StepIndex);
        Assert.Null(next.StepStartedAt);
        Assert.Equal("weight set to 0% by command (from 25%), back to shadow", next.Reason);
    }

    [Fact]
    public void Apply_SetWeightWhilePaused_StaysPausedAtNewWeight()
    {
        var next = Policy().Apply(State(CanaryPhase.Paused, 10, 1), CanaryCommand.SetWeight(40), Now).Next;

        Assert.Equal(CanaryPhase.Paused, next.Phase);
        Assert.Equal(40, next.Weight);
        Assert.Equal(2, next.StepIndex);
        Assert.Equal(CanaryPhase.Ramping, next.PausedFrom);
    }

    [Fact]
    public void Apply_Reset_GoesIdleFromAnywhere()
    {
        var next = Policy().Apply(StateFor(CanaryPhase.Promoted), CanaryCommand.Reset(), Now).Next;

        Assert.Equal(CanaryPhase.Idle, next.Phase);
        Assert.Equal(0, next.Weight);
        Assert.Equal(-1, next.StepIndex);
        Assert.Null(next.StepStartedAt);
        Assert.Equal("reset to idle (was promoted)", next.Reason);
    }

    [Fact]
    public void Apply_FullLifecycle_VersionsIncreaseByOnePerChange()
    {
        var policy = Policy();
        var state = CanaryState.Initial;
        var versions = new List<long>();

        foreach (var command in new[] { CanaryCommand.Start(), CanaryCommand.Pause(), CanaryCommand.Pause(), CanaryCommand.Resume(), CanaryCommand.PromoteFull(), CanaryCommand.Rollback(), CanaryCommand.Retry() })
        {
            state = policy.Apply(state, command, Now).Next;
            versions.Add(state.Version);
        }

        Assert.Equal([1L, 2, 2, 3, 4, 5, 6], versions);
        Assert.Equal(CanaryPhase.Ramping, state.Phase);
    }

    private static CanaryState StateFor(CanaryPhase phase) => phase switch
    {
        CanaryPhase.Ramping or CanaryPhase.Paused => State(phase, 10, 1),
        CanaryPhase.Promoted => State(phase, 100, 4),
        CanaryPhase.RolledBack => State(phase, 0, 1),
        _ => State(phase, 0),
    };

    private static CanaryCommand ParseCommand(string text)
    {
        var parts = text.Split(' ');
        Assert.True(CanaryCommand.TryParseKind(parts[0], out var kind));
        return kind switch
        {
            CanaryCommandKind.Start => CanaryCommand.Start(),
            CanaryCommandKind.Pause => CanaryCommand.Pause(),
            CanaryCommandKind.Resume => CanaryCommand.Resume(),
            CanaryCommandKind.Promote => CanaryCommand.Promote(),
            CanaryCommandKind.PromoteFull => CanaryCommand.PromoteFull(),
            CanaryCommandKind.Rollback => CanaryCommand.Rollback(),
            CanaryCommandKind.SetWeight => CanaryCommand.SetWeight(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)),
            CanaryCommandKind.Retry => CanaryCommand.Retry(),
            CanaryCommandKind.Reset => CanaryCommand.Reset(),
            _ => throw new ArgumentOutOfRangeException(nameof(text)),
        };
    }

    /// <summary>Invariants every stored state must keep, so the store and the flag provider can trust it.</summary>
    private static void AssertConsistent(CanaryState state)
    {
        switch (state.Phase)
        {
            case CanaryPhase.Idle or CanaryPhase.Shadow or CanaryPhase.RolledBack:
                Assert.Equal(0, state.Weight);
                Assert.Null(state.StepStartedAt);
                Assert.Null(state.PausedFrom);
                break;
            case CanaryPhase.Ramping:
                Assert.InRange(state.Weight, 0.0001, 100);
                Assert.NotNull(state.StepStartedAt);
                Assert.Null(state.PausedFrom);
                break;
            case CanaryPhase.Paused:
                Assert.InRange(state.Weight, 0.0001, 100);
                Assert.NotNull(state.StepStartedAt);
                Assert.Equal(CanaryPhase.Ramping, state.PausedFrom);
                break;
            case CanaryPhase.Promoted:
                Assert.Equal(100, state.Weight);
                Assert.Null(state.PausedFrom);
                break;
        }

        // The state survives a round trip through its storage form.
        Assert.Equal(state, CanaryState.FromSnapshot(state.ToSnapshot()));
    }
}
