using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

public class ReadinessEvaluatorTests
{
    private static readonly ReadinessOptions Options = new();

    /// <summary>Figures that meet every default rule with margin (noise floor included).</summary>
    internal static ShadowStats Healthy(
        long compared = 500,
        double? matchRate = 0.95,
        double? successRate = 0.999,
        double? candidateP95 = 900,
        double? primaryP95 = 1000,
        double? candidateTtft = 200,
        double? primaryTtft = 250,
        decimal candidateCost = 0.70m,
        decimal primaryCost = 1.00m,
        long dropped = 0,
        long candidateMatches = -1,
        long noiseSamples = 200,
        long noiseMatches = 180)
    {
        var matches = candidateMatches >= 0 ? candidateMatches : (long)Math.Round(compared * 0.9);
        var candidateVerdicts = new VerdictCounts(matches, 0, 0, compared - matches, 0);
        var noiseVerdicts = new VerdictCounts(noiseMatches, 0, 0, noiseSamples - noiseMatches, 0);
        var successes = (long)Math.Round(compared * (successRate ?? 0));
        return new(
            Total: compared,
            Compared: compared,
            Dropped: dropped,
            Primary: new ArmStats(compared, 1.0, new Percentiles(400, primaryP95, 1500), new Percentiles(100, primaryTtft, 400), primaryCost, 10_000, 5_000, compared),
            Candidate: new ArmStats(compared, successRate, new Percentiles(380, candidateP95, 1400), new Percentiles(90, candidateTtft, 350), candidateCost, 10_000, 5_100, successes),
            LatencyDiffMs: -20,
            MatchRate: matchRate,
            Verdicts: new VerdictCounts(compared / 2, compared / 4, compared / 4, 0, 0),
            ByModel: [],
            FirstAt: null,
            LastAt: null,
            Agreement: new AgreementStats(
                AgreementDistribution.From(candidateVerdicts, ScorePercentiles.Empty),
                AgreementDistribution.From(noiseVerdicts, ScorePercentiles.Empty)));
    }

    [Fact]
    public void Evaluate_BelowMinCompared_InsufficientDataNamingCountAndMinimum()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(compared: 99), Options);

        Assert.Equal(Recommendation.InsufficientData, recommendation);
        var reason = Assert.Single(reasons);
        Assert.Contains("99", reason, StringComparison.Ordinal);
        Assert.Contains("100", reason, StringComparison.Ordinal);
        Assert.Contains("1 more needed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExactlyMinCompared_Judged()
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(compared: 100), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
    }

    [Fact]
    public void EvaluateRules_AllRulesMet_ReadyWithFiguresThresholdsAndUnits()
    {
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Equal(["agreement", "candidateSuccessRate", "p95Latency", "p95Ttft", "cost", "droppedRate"], rules.Select(r => r.Rule));
        Assert.All(rules, r => Assert.Equal(RuleOutcome.Pass, r.Outcome));
        Assert.Equal(["%", "%", "ms", "ms", "USD", "%"], rules.Select(r => r.Unit));
        var latency = rules.Single(r => r.Rule == "p95Latency");
        Assert.Equal(900, latency.Measured);
        Assert.Equal(1500, latency.Threshold); // max(1000 * 1.5, 1000 + 100)
        Assert.Equal(
            "candidate p95 latency 900 ms vs primary 1000 ms: 0.9x, -100 ms (within 1.5x and +100 ms, i.e. <= 1500 ms)",
            latency.Reason);
        Assert.StartsWith("agreement: candidate matches the primary 90.0 % (n=500), the primary matches itself 90.0 % (n=200)", rules[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SlowCandidate_NeedsTuningFailingReasonFirst()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateP95: 1840, primaryP95: 870), Options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.StartsWith("candidate p95 latency 1840 ms vs primary 870 ms: 2.115x, +970 ms (beyond", reasons[0], StringComparison.Ordinal);
        Assert.Equal(6, reasons.Count);
    }

    [Theory]
    [InlineData(6.7, 4.4)] // the identical candidate of the issue: 1.5x, but 2.3 ms
    [InlineData(99, 0.5)] // 198x, still within the 100 ms margin
    public void Evaluate_RatioBeyondButWithinAbsoluteMargin_Passes(double candidateP95, double primaryP95)
    {
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(candidateP95: candidateP95, primaryP95: primaryP95, candidateTtft: candidateP95, primaryTtft: primaryP95), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Equal(RuleOutcome.Pass, rules.Single(r => r.Rule == "p95Ttft").Outcome);
    }

    [Theory]
    [InlineData(1500, true)]
    [InlineData(1501, false)]
    public void Evaluate_P95LatencyRatioAtThreshold_Passes(double candidateP95, bool ready)
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(candidateP95: candidateP95, primaryP95: 1000), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
    }

    [Theory]
    [InlineData(350, true)] // 1.4x of 250: within the ratio
    [InlineData(375, true)] // 1.5x, +125 ms: at the ratio
    [InlineData(376, false)] // 1.504x and +126 ms: beyond both
    public void Evaluate_P95TtftAtThreshold_Passes(double candidateTtft, bool ready)
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(candidateTtft: candidateTtft, primaryTtft: 250), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
    }

    [Fact]
    public void Evaluate_CustomMargins_Applied()
    {
        var options = new ReadinessOptions { P95LatencyMarginMs = 10, MaxP95LatencyRatio = 1.2 };

        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateP95: 30, primaryP95: 10), options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.Contains("beyond 1.2x and +10 ms", reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FewSuccessfulExchanges_LatencyRuleInsufficientWithCountNeeded()
    {
        var options = new ReadinessOptions { MinCompared = 10, MinLatencySamples = 30 };

        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(compared: 20, noiseSamples: 40, noiseMatches: 36, candidateP95: 5000), options);

        Assert.Equal(Recommendation.InsufficientData, recommendation);
        var latency = rules.Single(r => r.Rule == "p95Latency");
        Assert.Equal(RuleOutcome.InsufficientData, latency.Outcome);
        Assert.Equal(10, latency.Needed);
    }

    [Fact]
    public void Evaluate_NoTtft_RuleSkippedNotFailed()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateTtft: null, primaryTtft: null), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Equal("p95 TTFT skipped: not measured on both sides", reasons[^1]);
    }

    [Fact]
    public void Evaluate_CandidateAsConsistentAsThePrimary_AgreementPasses()
    {
        // A sampling primary agrees with itself 40 % of the time; a faithful relay does the same.
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(candidateMatches: 190, noiseSamples: 100, noiseMatches: 40), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Equal(RuleOutcome.Pass, rules.Single(r => r.Rule == "agreement").Outcome);
    }

    [Fact]
    public void Evaluate_CandidateWorseThanNoiseFloor_AgreementFailsFirst()
    {
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(candidateMatches: 300, noiseSamples: 200, noiseMatches: 180), Options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.Equal("agreement", rules[0].Rule);
        Assert.Equal(RuleOutcome.Fail, rules[0].Outcome);
        Assert.Equal(60, rules[0].Measured);
        Assert.Equal(85, rules[0].Threshold!.Value, 6);
        Assert.Contains("worse than the primary's own noise", rules[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SlightlyBelowNoiseWithinTolerance_Passes()
    {
        // 87 % vs 90 %: 3 points short, inside the 5-point tolerance.
        var (recommendation, _) = ReadinessEvaluator.EvaluateRules(Healthy(candidateMatches: 435, noiseSamples: 200, noiseMatches: 180), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
    }

    [Fact]
    public void Evaluate_TooFewNoiseSamples_AgreementInsufficientDataWithCountNeeded()
    {
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(noiseSamples: 12, noiseMatches: 12), Options);

        Assert.Equal(Recommendation.InsufficientData, recommendation);
        var agreement = rules.Single(r => r.Rule == "agreement");
        Assert.Equal(RuleOutcome.InsufficientData, agreement.Outcome);
        Assert.Equal(18, agreement.Needed);
        Assert.Contains("18 more needed", agreement.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TooFewNoiseSamplesButAnotherRuleFails_NeedsTuning()
    {
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(noiseSamples: 0, noiseMatches: 0, successRate: 0.5), Options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.Equal(["candidateSuccessRate", "agreement"], rules.Take(2).Select(r => r.Rule));
    }

    [Fact]
    public void Evaluate_NoiseFloorNotRequired_AgreementSkipped()
    {
        var options = new ReadinessOptions { RequireNoiseFloor = false };

        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(Healthy(noiseSamples: 0, noiseMatches: 0), options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Equal(RuleOutcome.Skipped, rules.Single(r => r.Rule == "agreement").Outcome);
    }

    [Theory]
    [InlineData(0.90, true)]
    [InlineData(0.8999, false)]
    public void Evaluate_MatchRateFloorAtThreshold_Passes(double matchRate, bool ready)
    {
        var options = new ReadinessOptions { MinMatchRate = 0.90 };

        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(matchRate: matchRate), options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
        Assert.Contains(reasons, r => r.StartsWith("match rate", StringComparison.Ordinal));
        if (!ready)
        {
            Assert.Equal("match rate 89.99 % < floor 90.0 %", reasons[0]);
        }
    }

    [Fact]
    public void Evaluate_NoMatchRateFloorByDefault_LowFixedRateDoesNotFail()
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(matchRate: 0.07, candidateMatches: 35, noiseSamples: 100, noiseMatches: 6), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
    }

    [Theory]
    [InlineData(0.99, true)]
    [InlineData(0.9899, false)]
    public void Evaluate_SuccessRateAtThreshold_Passes(double successRate, bool ready)
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(successRate: successRate), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
    }

    [Theory]
    [InlineData(1.00, true)]
    [InlineData(1.01, false)]
    public void Evaluate_CostRatioAtThreshold_Passes(double candidateCost, bool ready)
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(candidateCost: (decimal)candidateCost, primaryCost: 1.00m), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
    }

    [Fact]
    public void Evaluate_PricedCostStats_RuleUsesPricedExchangesAndNamesExcluded()
    {
        var stats = Healthy(candidateCost: 5m, primaryCost: 1m) with
        {
            Cost = new CostStats(400, 1.00m, 0.80m, 50, 0.10m, 30, 40, 10, 0, 0, 0),
        };

        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(stats, Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        var cost = rules.Single(r => r.Rule == "cost");
        Assert.Equal(0.8, cost.Measured!.Value, 9);
        Assert.EndsWith("over 400 exchanges priced on both sides (100 excluded)", cost.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PrimaryCostZero_CostRuleSkipped()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateCost: 5m, primaryCost: 0m), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Contains(reasons, r => r.StartsWith("cost ratio skipped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(50, true)] // 50 / (450 + 50) = 0.10
    [InlineData(51, false)]
    public void Evaluate_DroppedRateAtThreshold_Passes(long dropped, bool ready)
    {
        var stats = Healthy(compared: 450, dropped: dropped);

        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(stats, Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
        Assert.Contains(reasons, r => r.StartsWith("dropped rate", StringComparison.Ordinal) && r.Contains($"({dropped} of {450 + dropped})", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_SeveralFailures_AllFailingFirstInRuleOrder()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateMatches: 100, candidateCost: 2m), Options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.StartsWith("agreement: candidate matches the primary 20.0 %", reasons[0], StringComparison.Ordinal);
        Assert.StartsWith("candidate cost 2.00 USD is 2.0x primary 1.00 USD", reasons[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CustomOptions_Applied()
    {
        var strict = new ReadinessOptions { MinCompared = 10, MinMatchRate = 0.99 };

        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(compared: 10), strict);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
    }

    [Theory]
    [InlineData(Recommendation.Ready, "READY")]
    [InlineData(Recommendation.NeedsTuning, "NEEDS_TUNING")]
    [InlineData(Recommendation.InsufficientData, "INSUFFICIENT_DATA")]
    public void ToWireName_EachRecommendation_WireName(Recommendation recommendation, string expected)
    {
        Assert.Equal(expected, ReadinessEvaluator.ToWireName(recommendation));
    }
}
