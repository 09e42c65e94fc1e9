using Migration.Core.Canary;
using static Migration.Core.Tests.Canary.CanaryTestData;

namespace Migration.Core.Tests.Canary;

public partial class CanaryPolicyTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(CanaryPhase.Idle, 0)]
    [InlineData(CanaryPhase.Shadow, 0)]
    [InlineData(CanaryPhase.RolledBack, 0)]
    [InlineData(CanaryPhase.Promoted, 100)]
    public void Evaluate_StateThatDoesNotRamp_HoldsEvenOnTerribleNumbers(CanaryPhase phase, double weight)
    {
        var state = State(phase, weight);

        var decision = Policy().Evaluate(state, Traffic(10_000, failures: 10_000, p99Ms: 60_000), Primary(), T0.AddHours(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Same(state, decision.Next);
        Assert.False(decision.Changed);
        Assert.Equal(weight, decision.Weight);
    }

    [Fact]
    public void Evaluate_BelowMinRequests_HoldsEvenWhenEverythingFails()
    {
        var state = Ramping();

        var decision = Policy().Evaluate(state, Traffic(199, failures: 199, p99Ms: 60_000), Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Equal("too little data: 199 < 200 requests", decision.Reason);
        Assert.False(decision.Changed);
        Assert.Empty(decision.Metrics!.Trips);
        Assert.Equal(199, decision.Metrics.CanaryRequests);
    }

    [Fact]
    public void Evaluate_BelowMinRequestsAfterLongHold_NeverAdvances()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(57), Primary(), T0.AddHours(3));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Equal("too little data: 57 < 200 requests", decision.Reason);
        Assert.Equal(5, decision.Weight);
    }

    [Fact]
    public void Evaluate_ErrorRateExactlyAtMax_DoesNotTrip()
    {
        var policy = Policy(o => o.MinSuccessRate = 0);

        var decision = policy.Evaluate(Ramping(), Traffic(200, failures: 10), Primary(failures: 500), T0.AddMinutes(1));

        Assert.Equal(0.05, decision.Metrics!.CanaryErrorRate);
        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Empty(decision.Metrics.Trips);
    }

    [Fact]
    public void Evaluate_ErrorRateJustOverMax_RollsBackAtOnce()
    {
        var policy = Policy(o => o.MinSuccessRate = 0);
        var state = Ramping(25, 2);

        var decision = policy.Evaluate(state, Traffic(200, failures: 11), Primary(failures: 500), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.True(decision.Changed);
        Assert.Equal(CanaryPhase.RolledBack, decision.Next.Phase);
        Assert.Equal(0, decision.Weight);
        Assert.Equal(["error_rate"], decision.Metrics!.Trips);
        Assert.Equal("automatic rollback from 25%: error rate 0.055 > 0.05 over 200 requests", decision.Reason);
        Assert.Equal(decision.Reason, decision.Next.Reason);
    }

    [Fact]
    public void Evaluate_ErrorRateOverMaxAfterHold_RollsBackInsteadOfAdvancing()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(412, failures: 34), Primary(failures: 3_400), T0 + Hold + Hold);

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Contains("error rate 0.0825 > 0.05 over 412 requests", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FallbacksOnly_CountAsCanaryFailures()
    {
        var canary = new WindowStats { Requests = 400, Successes = 400, Fallbacks = 40, P99Milliseconds = 100 };

        var decision = Policy().Evaluate(Ramping(), canary, Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(0.1, decision.Metrics!.CanaryErrorRate);
        Assert.Equal(40, decision.Metrics.CanaryFallbacks);
    }

    [Fact]
    public void Evaluate_SuccessRateExactlyAtMin_DoesNotTrip()
    {
        var policy = Policy(o => o.MaxErrorRate = 1);

        var decision = policy.Evaluate(Ramping(), Traffic(200, failures: 10), Primary(failures: 500), T0.AddMinutes(1));

        Assert.Equal(0.95, decision.Metrics!.CanarySuccessRate);
        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
    }

    [Fact]
    public void Evaluate_SuccessRateJustUnderMin_RollsBack()
    {
        var policy = Policy(o => o.MaxErrorRate = 1);

        var decision = policy.Evaluate(Ramping(), Traffic(200, failures: 11), Primary(failures: 500), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(["success_rate"], decision.Metrics!.Trips);
        Assert.Contains("success rate 0.945 < 0.95 over 200 requests", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SuccessesMissingWithoutClassifiedErrors_TripSuccessRate()
    {
        // Requests neither successful nor classified (e.g. cancelled) lower the success rate.
        var canary = new WindowStats { Requests = 200, Successes = 180, P99Milliseconds = 100 };
        var policy = Policy(o => o.MaxErrorRate = 1);

        var decision = policy.Evaluate(Ramping(), canary, Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Contains("success_rate", decision.Metrics!.Trips);
    }

    [Fact]
    public void Evaluate_P99ExactlyAtMax_DoesNotTrip()
    {
        var policy = Policy(o => o.MaxP99Ratio = 100);

        var decision = policy.Evaluate(Ramping(), Traffic(200, p99Ms: 5_000), Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Empty(decision.Metrics!.Trips);
    }

    [Fact]
    public void Evaluate_P99JustOverMax_RollsBack()
    {
        var policy = Policy(o => o.MaxP99Ratio = 100);

        var decision = policy.Evaluate(Ramping(), Traffic(200, p99Ms: 5_000.1), Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(["p99"], decision.Metrics!.Trips);
        Assert.Contains("p99 5000.1 ms > 5000 ms over 200 requests", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ClearlyWorseErrorRateThanPrimary_RollsBack()
    {
        // 4 % is under the absolute 5 %, but far above the primary's 0.5 %.
        var decision = Policy().Evaluate(Ramping(), Traffic(400, failures: 16), Primary(10_000, failures: 50), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(["error_rate_vs_primary"], decision.Metrics!.Trips);
        Assert.True(decision.Metrics.ErrorRateZ > 2.326);
        Assert.Equal(0.035, decision.Metrics.ErrorRateDelta!.Value, 9);
        Assert.Contains("error rate 0.04 vs primary 0.005", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("over 400/10000 requests", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WorseErrorRateButPrimaryBelowMinSample_DoesNotCompare()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(400, failures: 16), Primary(199, failures: 0), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Null(decision.Metrics!.ErrorRateZ);
        Assert.Null(decision.Metrics.P99Ratio);
    }

    [Fact]
    public void Evaluate_WorseErrorRateButCanaryBelowMinSample_Holds()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(150, failures: 6), Primary(10_000, failures: 0), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.StartsWith("too little data", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SignificantButTinyErrorRateDifference_DoesNotTrip()
    {
        // 0.8 % vs 0.5 % on huge samples: z is large, but the difference is below MinErrorRateDelta.
        var decision = Policy().Evaluate(Ramping(), Traffic(100_000, failures: 800), Primary(1_000_000, failures: 5_000), T0.AddMinutes(1));

        Assert.True(decision.Metrics!.ErrorRateZ > 10);
        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
    }

    [Fact]
    public void Evaluate_ErrorRateDifferenceExactlyAtMinDelta_DoesNotTrip()
    {
        // 3 % vs 2 %: z about 4.4, difference exactly 0.01 (up to rounding).
        var decision = Policy().Evaluate(Ramping(), Traffic(4_000, failures: 120), Primary(100_000, failures: 2_000), T0.AddMinutes(1));

        Assert.True(decision.Metrics!.ErrorRateZ > 2.326);
        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
    }

    [Fact]
    public void Evaluate_ErrorRateDifferenceJustOverMinDelta_RollsBack()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(4_000, failures: 121), Primary(100_000, failures: 2_000), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(["error_rate_vs_primary"], decision.Metrics!.Trips);
    }

    [Fact]
    public void Evaluate_ZExactlyAtCritical_DoesNotTrip()
    {
        var canary = Traffic(400, failures: 16);
        var primary = Primary(10_000, failures: 50);
        var z = CanaryPolicy.ErrorRateZValue(canary, primary)!.Value;

        var atZ = Policy(o => o.ErrorRateZ = z).Evaluate(Ramping(), canary, primary, T0.AddMinutes(1));
        var justUnderZ = Policy(o => o.ErrorRateZ = z - 1e-6).Evaluate(Ramping(), canary, primary, T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, atZ.Kind);
        Assert.Equal(CanaryDecisionKind.Rollback, justUnderZ.Kind);
    }

    [Fact]
    public void Evaluate_P99RatioExactlyAtMax_DoesNotTrip()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(200, p99Ms: 2_000), Primary(p99Ms: 1_000), T0.AddMinutes(1));

        Assert.Equal(2.0, decision.Metrics!.P99Ratio);
        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
    }

    [Fact]
    public void Evaluate_P99RatioJustOverMax_RollsBack()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(200, p99Ms: 2_001), Primary(p99Ms: 1_000), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(["p99_vs_primary"], decision.Metrics!.Trips);
        Assert.Contains("p99 2001 ms is 2.001x primary 1000 ms > 2x", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SlowerThanPrimaryButPrimaryBelowMinSample_DoesNotTrip()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(200, p99Ms: 4_000), Primary(199, p99Ms: 1_000), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Null(decision.Metrics!.P99Ratio);
    }

    [Fact]
    public void Evaluate_PrimaryWithoutLatency_SkipsP99Ratio()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(200, p99Ms: 4_000), Primary(p99Ms: 0), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Null(decision.Metrics!.P99Ratio);
    }

    [Fact]
    public void Evaluate_SeveralTrips_ReportsEveryOneInFixedOrder()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(1_000, failures: 300, p99Ms: 9_000), Primary(p99Ms: 1_000), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(["error_rate", "success_rate", "p99", "error_rate_vs_primary", "p99_vs_primary"], decision.Metrics!.Trips);
        Assert.Equal(5, decision.Reason.Split("; ").Length);
    }

    [Fact]
    public void Evaluate_Rollback_ZeroWeightNewVersionKeepsStepForTheRecord()
    {
        var state = Ramping(50, 3);
        var now = T0.AddMinutes(2);

        var next = Policy().Evaluate(state, Traffic(500, failures: 100), Primary(), now).Next;

        Assert.Equal(CanaryPhase.RolledBack, next.Phase);
        Assert.Equal(0, next.Weight);
        Assert.Equal(3, next.StepIndex);
        Assert.Null(next.StepStartedAt);
        Assert.Null(next.PausedFrom);
        Assert.Equal(state.Version + 1, next.Version);
        Assert.Equal(now, next.UpdatedAt);
    }

    [Fact]
    public void Evaluate_HealthyJustBeforeStepHold_Holds()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(400), Primary(), T0 + Hold - TimeSpan.FromMilliseconds(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.StartsWith("holding 5%: held 4m59s of 5m00s; 400 requests", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_HealthyExactlyAtStepHold_AdvancesToNextStep()
    {
        var state = Ramping();
        var now = T0 + Hold;

        var decision = Policy().Evaluate(state, Traffic(400), Primary(), now);

        Assert.Equal(CanaryDecisionKind.Advance, decision.Kind);
        Assert.True(decision.Changed);
        Assert.Equal(CanaryPhase.Ramping, decision.Next.Phase);
        Assert.Equal(10, decision.Weight);
        Assert.Equal(1, decision.Next.StepIndex);
        Assert.Equal(now, decision.Next.StepStartedAt);
        Assert.Equal(state.Version + 1, decision.Next.Version);
        Assert.StartsWith("advanced from 5% to 10%: held 5m00s with 400 requests, error rate 0, success rate 1, p99 100 ms", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(300, decision.Metrics!.HeldSeconds);
    }

    [Fact]
    public void Evaluate_HealthyRampWithExplicitTimes_WalksEveryStepThenPromotes()
    {
        var policy = Policy();
        var state = Ramping(5, 0, T0);
        var now = T0;
        var kinds = new List<CanaryDecisionKind>();
        var weights = new List<double>();

        for (var i = 0; i < 5; i++)
        {
            // Halfway through the hold nothing moves.
            Assert.Equal(CanaryDecisionKind.Hold, policy.Evaluate(state, Traffic(400), Primary(), now + (Hold / 2)).Kind);
            now += Hold;
            var decision = policy.Evaluate(state, Traffic(400), Primary(), now);
            kinds.Add(decision.Kind);
            weights.Add(decision.Weight);
            state = decision.Next;
        }

        Assert.Equal([CanaryDecisionKind.Advance, CanaryDecisionKind.Advance, CanaryDecisionKind.Advance, CanaryDecisionKind.Advance, CanaryDecisionKind.Promote], kinds);
        Assert.Equal([10.0, 25, 50, 100, 100], weights);
        Assert.Equal(CanaryPhase.Promoted, state.Phase);
        Assert.Equal(4, state.StepIndex);
        Assert.Equal(12, state.Version);
    }

    [Fact]
    public void Evaluate_LastStepHeld_Promotes()
    {
        var decision = Policy().Evaluate(Ramping(100, 4), Traffic(400), Primary(0), T0 + Hold);

        Assert.Equal(CanaryDecisionKind.Promote, decision.Kind);
        Assert.Equal(CanaryPhase.Promoted, decision.Next.Phase);
        Assert.Equal(100, decision.Weight);
        Assert.StartsWith("promoted: 100% held 5m00s", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ManualWeightBetweenSteps_AdvancesToFirstStepAbove()
    {
        var decision = Policy().Evaluate(Ramping(17, 1), Traffic(400), Primary(), T0 + Hold);

        Assert.Equal(CanaryDecisionKind.Advance, decision.Kind);
        Assert.Equal(25, decision.Weight);
        Assert.Equal(2, decision.Next.StepIndex);
    }

    [Fact]
    public void Evaluate_CustomSteps_FollowsThem()
    {
        var policy = Policy(o => o.Steps = [1, 50, 100]);

        var decision = policy.Evaluate(Ramping(1, 0), Traffic(400), Primary(), T0 + Hold);

        Assert.Equal(50, decision.Weight);
        Assert.Equal(1, decision.Next.StepIndex);
    }

    [Fact]
    public void Evaluate_ClockBeforeStepStart_HoldsWithZeroHeld()
    {
        var decision = Policy().Evaluate(Ramping(), Traffic(400), Primary(), T0 - TimeSpan.FromMinutes(10));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Equal(0, decision.Metrics!.HeldSeconds);
    }

    [Fact]
    public void Evaluate_RampingWithoutStepStart_HoldsButStillRollsBack()
    {
        var state = Ramping() with { StepStartedAt = null };

        var healthy = Policy().Evaluate(state, Traffic(400), Primary(), T0.AddHours(1));
        var failing = Policy().Evaluate(state, Traffic(400, failures: 100), Primary(), T0.AddHours(1));

        Assert.Equal(CanaryDecisionKind.Hold, healthy.Kind);
        Assert.StartsWith("step start time unknown", healthy.Reason, StringComparison.Ordinal);
        Assert.Equal(CanaryDecisionKind.Rollback, failing.Kind);
    }

    [Fact]
    public void Evaluate_PausedHealthyLongAfterHold_HoldsItsWeight()
    {
        var state = State(CanaryPhase.Paused, 25, 2);

        var decision = Policy().Evaluate(state, Traffic(400), Primary(), T0.AddHours(2));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Same(state, decision.Next);
        Assert.Equal(25, decision.Weight);
        Assert.StartsWith("paused at 25%: no automatic advance", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PausedAndTripped_RollsBackByDefault()
    {
        var decision = Policy().Evaluate(State(CanaryPhase.Paused, 25, 2), Traffic(400, failures: 100), Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Rollback, decision.Kind);
        Assert.Equal(CanaryPhase.RolledBack, decision.Next.Phase);
        Assert.Null(decision.Next.PausedFrom);
    }

    [Fact]
    public void Evaluate_PausedAndTrippedWithRollbackWhilePausedOff_Holds()
    {
        var policy = Policy(o => o.RollbackWhilePaused = false);

        var decision = policy.Evaluate(State(CanaryPhase.Paused, 25, 2), Traffic(400, failures: 100), Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Contains("rollback while paused is off", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PausedBelowMinRequests_Holds()
    {
        var decision = Policy().Evaluate(State(CanaryPhase.Paused, 25, 2), Traffic(10, failures: 10), Primary(), T0.AddMinutes(1));

        Assert.Equal(CanaryDecisionKind.Hold, decision.Kind);
        Assert.Equal("too little data: 10 < 200 requests (paused)", decision.Reason);
    }

    [Fact]
    public void Evaluate_Metrics_CarryTheNumbersOfBothArms()
    {
        var metrics = Policy().Evaluate(Ramping(), Traffic(400, failures: 4, p99Ms: 900), Primary(2_000, failures: 10, p99Ms: 600), T0.AddMinutes(2)).Metrics!;

        Assert.Equal(400, metrics.CanaryRequests);
        Assert.Equal(396, metrics.CanarySuccesses);
        Assert.Equal(4, metrics.CanaryFailures);
        Assert.Equal(0.01, metrics.CanaryErrorRate);
        Assert.Equal(0.99, metrics.CanarySuccessRate);
        Assert.Equal(900, metrics.CanaryP99Ms);
        Assert.Equal(2_000, metrics.PrimaryRequests);
        Assert.Equal(0.005, metrics.PrimaryErrorRate);
        Assert.Equal(600, metrics.PrimaryP99Ms);
        Assert.Equal(1.5, metrics.P99Ratio);
        Assert.Equal(0.005, metrics.ErrorRateDelta!.Value, 9);
        Assert.NotNull(metrics.ErrorRateZ);
        Assert.Equal(120, metrics.HeldSeconds);
    }

    [Fact]
    public void ErrorRateZValue_KnownProportions_MatchesTextbookFormula()
    {
        // p1 = 0.10 (n 100), p2 = 0.05 (n 100): pooled 0.075, se = sqrt(0.075 * 0.925 * 0.02) = 0.037249, z = 1.3423.
        var z = CanaryPolicy.ErrorRateZValue(Traffic(100, failures: 10), Traffic(100, failures: 5));

        Assert.Equal(1.3423, z!.Value, 4);
    }

    [Fact]
    public void ErrorRateZValue_CanaryBetterThanPrimary_IsNegative()
    {
        Assert.True(CanaryPolicy.ErrorRateZValue(Traffic(1_000, failures: 1), Traffic(1_000, failures: 50)) < 0);
    }

    [Fact]
    public void ErrorRateZValue_EqualRatesOrNoVariance_IsZero()
    {
        Assert.Equal(0, CanaryPolicy.ErrorRateZValue(Traffic(100), Traffic(1_000)));
        Assert.Equal(0, CanaryPolicy.ErrorRateZValue(Traffic(100, failures: 100), Traffic(10, failures: 10)));
        Assert.Equal(0, CanaryPolicy.ErrorRateZValue(Traffic(100, failures: 10), Traffic(1_000, failures: 100)));
    }

    [Fact]
    public void ErrorRateZValue_SideWithoutRequests_IsNull()
    {
        Assert.Null(CanaryPolicy.ErrorRateZValue(WindowStats.Empty, Traffic(100)));
        Assert.Null(CanaryPolicy.ErrorRateZValue(Traffic(100), WindowStats.Empty));
    }

    [Fact]
    public void GetWindowStart_StepStartedWithinWindow_StartsAtStepStart()
    {
        var start = Policy().GetWindowStart(Ramping(startedAt: T0), T0.AddSeconds(20));

        Assert.Equal(T0, start);
    }

    [Fact]
    public void GetWindowStart_StepStartedLongAgo_StartsOneWindowBack()
    {
        var policy = Policy(o => o.Window = TimeSpan.FromSeconds(30));

        var start = policy.GetWindowStart(Ramping(startedAt: T0), T0.AddMinutes(10));

        Assert.Equal(T0.AddMinutes(10).AddSeconds(-30), start);
    }

    [Fact]
    public void GetWindowStart_NoStepStart_StartsOneWindowBack()
    {
        var start = Policy().GetWindowStart(CanaryState.Initial, T0);

        Assert.Equal(T0.AddMinutes(-1), start);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new CanaryPolicyOptions { Steps = [10, 5], MinRequests = 0 };

        var ex = Assert.Throws<ArgumentException>(() => new CanaryPolicy(options));

        Assert.Contains("Canary:Steps[1] must be greater than the previous step (10)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Canary:Steps must end with 100", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Canary:MinRequests must be at least 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_KeepsItsCopy()
    {
        var options = new CanaryPolicyOptions();
        var policy = new CanaryPolicy(options);

        options.MinRequests = 1;
        options.Steps = [50, 100];

        Assert.Equal([5.0, 10, 25, 50, 100], policy.Steps);
        Assert.Equal(CanaryDecisionKind.Hold, policy.Evaluate(Ramping(), Traffic(10), Primary(), T0 + Hold).Kind);
    }
}
