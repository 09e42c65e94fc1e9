using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

public class ReadinessEvaluatorTests
{
    private static readonly ReadinessOptions Options = new();

    /// <summary>Figures that meet every default rule with margin.</summary>
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
        long dropped = 0) =>
        new(
            Total: compared,
            Compared: compared,
            Dropped: dropped,
            Primary: new ArmStats(compared, 1.0, new Percentiles(400, primaryP95, 1500), new Percentiles(100, primaryTtft, 400), primaryCost, 10_000, 5_000),
            Candidate: new ArmStats(compared, successRate, new Percentiles(380, candidateP95, 1400), new Percentiles(90, candidateTtft, 350), candidateCost, 10_000, 5_100),
            LatencyDiffMs: -20,
            MatchRate: matchRate,
            Verdicts: new VerdictCounts(compared / 2, compared / 4, compared / 4, 0, 0),
            ByModel: [],
            FirstAt: null,
            LastAt: null);

    [Fact]
    public void Evaluate_BelowMinCompared_InsufficientDataNamingCountAndMinimum()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(compared: 99), Options);

        Assert.Equal(Recommendation.InsufficientData, recommendation);
        var reason = Assert.Single(reasons);
        Assert.Contains("99", reason, StringComparison.Ordinal);
        Assert.Contains("100", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExactlyMinCompared_Judged()
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(compared: 100), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
    }

    [Fact]
    public void Evaluate_AllRulesMet_ReadyWithEveryRuleListed()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Equal(
            [
                "match rate 0.95 >= 0.90",
                "candidate success rate 0.999 >= 0.99",
                "candidate p95 latency 900 ms is 0.9x primary 1000 ms (max 1.5x)",
                "candidate p95 TTFT 200 ms is 0.8x primary 250 ms (max 1.5x)",
                "candidate cost $0.70 is 0.7x primary $1.00 (max 1.0x)",
                "dropped rate 0.00 (0 of 500) <= 0.10",
            ],
            reasons);
    }

    [Fact]
    public void Evaluate_SlowCandidate_NeedsTuningFailingReasonFirst()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateP95: 1840, primaryP95: 870), Options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.Equal("candidate p95 latency 1840 ms is 2.115x primary 870 ms (max 1.5x)", reasons[0]);
        Assert.Equal(6, reasons.Count);
    }

    [Theory]
    [InlineData(0.90, true)]
    [InlineData(0.8999, false)]
    public void Evaluate_MatchRateAtThreshold_Passes(double matchRate, bool ready)
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(matchRate: matchRate), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
        Assert.Contains(reasons, r => r.StartsWith("match rate", StringComparison.Ordinal));
        if (!ready)
        {
            Assert.Equal("match rate 0.8999 < 0.90", reasons[0]);
        }
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
    [InlineData(1500, true)]
    [InlineData(1501, false)]
    public void Evaluate_P95LatencyRatioAtThreshold_Passes(double candidateP95, bool ready)
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(candidateP95: candidateP95, primaryP95: 1000), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
    }

    [Theory]
    [InlineData(375, true)]
    [InlineData(376, false)]
    public void Evaluate_P95TtftRatioAtThreshold_Passes(double candidateTtft, bool ready)
    {
        var (recommendation, _) = ReadinessEvaluator.Evaluate(Healthy(candidateTtft: candidateTtft, primaryTtft: 250), Options);

        Assert.Equal(ready ? Recommendation.Ready : Recommendation.NeedsTuning, recommendation);
    }

    [Fact]
    public void Evaluate_NoTtft_RuleSkippedNotFailed()
    {
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(candidateTtft: null, primaryTtft: null), Options);

        Assert.Equal(Recommendation.Ready, recommendation);
        Assert.Contains("p95 TTFT ratio skipped: not measured on both sides", reasons);
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
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(Healthy(matchRate: 0.5, candidateCost: 2m), Options);

        Assert.Equal(Recommendation.NeedsTuning, recommendation);
        Assert.StartsWith("match rate 0.50 < 0.90", reasons[0], StringComparison.Ordinal);
        Assert.StartsWith("candidate cost $2.00 is 2.0x primary $1.00", reasons[1], StringComparison.Ordinal);
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
