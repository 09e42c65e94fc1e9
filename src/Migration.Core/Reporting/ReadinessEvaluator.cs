using System.Globalization;

namespace Migration.Core.Reporting;

/// <summary>
/// Applies <see cref="ReadinessOptions"/> to shadow figures. Below <see cref="ReadinessOptions.MinCompared"/>
/// compared requests the answer is <see cref="Recommendation.InsufficientData"/>. Otherwise every rule is checked:
/// agreement against the primary's own noise floor (a one-sided two-proportion test, <see cref="AgreementTest"/>),
/// the optional absolute match-rate floor, candidate success rate, p95 latency and p95 TTFT (a ratio AND an absolute
/// margin, over successful exchanges, with a minimum sample), cost over exchanges priced on both sides, dropped
/// rate. Any failed rule gives <see cref="Recommendation.NeedsTuning"/>; otherwise a rule short of samples gives
/// <see cref="Recommendation.InsufficientData"/> (never a silent pass); all met gives <see cref="Recommendation.Ready"/>.
/// Rules come out failing first, then short of data, then passing, then skipped; each names its figure, threshold
/// and unit.
/// </summary>
public static class ReadinessEvaluator
{
    // Figures come from SQL aggregates: forgive floating noise at the threshold.
    private const double Tolerance = 1e-9;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The recommendation and one reason per rule (met or not), naming the numbers.</summary>
    public static (Recommendation Recommendation, IReadOnlyList<string> Reasons) Evaluate(ShadowStats stats, ReadinessOptions options)
    {
        var (recommendation, rules) = EvaluateRules(stats, options);
        return (recommendation, [.. rules.Select(r => r.Reason)]);
    }

    /// <summary>The recommendation and every rule with its measured figure, threshold and unit, failing ones first.</summary>
    public static (Recommendation Recommendation, IReadOnlyList<RuleResult> Rules) EvaluateRules(ShadowStats stats, ReadinessOptions options)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);
        if (stats.Compared < options.MinCompared)
        {
            return (Recommendation.InsufficientData,
            [
                new RuleResult("minCompared", RuleOutcome.InsufficientData, stats.Compared, options.MinCompared, "count",
                    string.Create(Inv, $"compared {stats.Compared} < minimum {options.MinCompared}: not enough data to judge ({options.MinCompared - stats.Compared} more needed)"),
                    options.MinCompared - stats.Compared),
            ]);
        }

        var rules = new List<RuleResult>
        {
            Agreement(stats, options),
        };
        if (MatchFloor(stats, options) is { } floor)
        {
            rules.Add(floor);
        }

        rules.Add(SuccessRate(stats, options));
        rules.Add(LatencyRule("p95Latency", "p95 latency", stats.Candidate, stats.Primary, static a => a.LatencyMs.P95, options.MaxP95LatencyRatio, options.P95LatencyMarginMs, options.MinLatencySamples));
        rules.Add(LatencyRule("p95Ttft", "p95 TTFT", stats.Candidate, stats.Primary, static a => a.TtftMs.P95, options.MaxP95TtftRatio, options.P95TtftMarginMs, options.MinLatencySamples));
        rules.Add(Cost(stats, options));
        rules.Add(Dropped(stats, options));

        // Stable sort: rule order kept inside each outcome.
        var ordered = rules.OrderBy(r => r.Outcome).ToList();
        var recommendation = ordered.Any(r => r.Outcome == RuleOutcome.Fail) ? Recommendation.NeedsTuning
            : ordered.Any(r => r.Outcome == RuleOutcome.InsufficientData) ? Recommendation.InsufficientData
            : Recommendation.Ready;
        return (recommendation, ordered);
    }

    /// <summary><c>READY</c>, <c>NEEDS_TUNING</c> or <c>INSUFFICIENT_DATA</c>.</summary>
    public static string ToWireName(Recommendation recommendation) => recommendation switch
    {
        Recommendation.Ready => "READY",
        Recommendation.NeedsTuning => "NEEDS_TUNING",
        _ => "INSUFFICIENT_DATA",
    };

    private static RuleResult Agreement(ShadowStats stats, ReadinessOptions options)
    {
        const string Name = "agreement";
        var candidate = stats.Agreement?.Candidate ?? AgreementDistribution.From(stats.Verdicts, ScorePercentiles.Empty);
        var noise = stats.Agreement?.Noise ?? AgreementDistribution.Empty;
        if (!options.RequireNoiseFloor && noise.Samples < options.MinNoiseSamples)
        {
            return new RuleResult(Name, RuleOutcome.Skipped, Pct(candidate.MatchShare), null, "%",
                "agreement with the noise floor skipped: Readiness:RequireNoiseFloor is false");
        }

        if (noise.Samples < options.MinNoiseSamples || candidate.Samples == 0)
        {
            var needed = Math.Max(1, options.MinNoiseSamples - noise.Samples);
            return new RuleResult(Name, RuleOutcome.InsufficientData, Pct(candidate.MatchShare), null, "%",
                string.Create(Inv, $"agreement: {noise.Samples} noise-floor samples (primary vs primary) < minimum {options.MinNoiseSamples}: {needed} more needed (Shadow:NoiseFloorRate sends them)"),
                needed);
        }

        var pc = candidate.MatchShare!.Value;
        var pn = noise.MatchShare!.Value;
        var threshold = pn - options.AgreementTolerance;
        var p = AgreementTest.PValue(candidate.Matches, candidate.Samples, noise.Matches, noise.Samples, options.AgreementTolerance);
        var ok = p >= options.AgreementSignificance - Tolerance;
        var figures = string.Create(Inv, $"candidate matches the primary {PctText(pc)} (n={candidate.Samples}), the primary matches itself {PctText(pn)} (n={noise.Samples}); tolerance {Points(options.AgreementTolerance)}");
        var verdict = ok
            ? string.Create(Inv, $"not worse beyond the tolerance (one-sided p={P(p)} >= {P(options.AgreementSignificance)})")
            : string.Create(Inv, $"worse than the primary's own noise beyond the tolerance (one-sided p={P(p)} < {P(options.AgreementSignificance)})");
        return new RuleResult(Name, ok ? RuleOutcome.Pass : RuleOutcome.Fail, Pct(pc), Pct(threshold), "%", $"agreement: {figures}: {verdict}");
    }

    private static RuleResult? MatchFloor(ShadowStats stats, ReadinessOptions options)
    {
        if (options.MinMatchRate is not { } min)
        {
            return null;
        }

        if (stats.MatchRate is not { } match)
        {
            return new RuleResult("minMatchRate", RuleOutcome.Fail, null, Pct(min), "%", "match rate unknown (no compared rows)");
        }

        var ok = match >= min - Tolerance;
        return new RuleResult("minMatchRate", ok ? RuleOutcome.Pass : RuleOutcome.Fail, Pct(match), Pct(min), "%",
            $"match rate {PctText(match)} {(ok ? ">=" : "<")} floor {PctText(min)}");
    }

    private static RuleResult SuccessRate(ShadowStats stats, ReadinessOptions options)
    {
        const string Name = "candidateSuccessRate";
        if (stats.Candidate.SuccessRate is not { } success)
        {
            return new RuleResult(Name, RuleOutcome.Fail, null, Pct(options.MinCandidateSuccessRate), "%", "candidate success rate unknown (no candidate rows)");
        }

        var ok = success >= options.MinCandidateSuccessRate - Tolerance;
        return new RuleResult(Name, ok ? RuleOutcome.Pass : RuleOutcome.Fail, Pct(success), Pct(options.MinCandidateSuccessRate), "%",
            $"candidate success rate {PctText(success)} {(ok ? ">=" : "<")} {PctText(options.MinCandidateSuccessRate)}");
    }

    private static RuleResult LatencyRule(string name, string what, ArmStats candidate, ArmStats primary, Func<ArmStats, double?> figure, double maxRatio, double marginMs, int minSamples)
    {
        if (figure(candidate) is not { } c || figure(primary) is not { } p || p <= 0)
        {
            return new RuleResult(name, RuleOutcome.Skipped, null, null, "ms", $"{what} skipped: not measured on both sides");
        }

        var samples = Math.Min(Successes(candidate), Successes(primary));
        var threshold = Math.Max(p * maxRatio, p + marginMs);
        if (samples < minSamples)
        {
            return new RuleResult(name, RuleOutcome.InsufficientData, c, threshold, "ms",
                string.Create(Inv, $"{what}: {samples} successful exchanges on the smaller side < minimum {minSamples}: {minSamples - samples} more needed"),
                minSamples - samples);
        }

        // Worse only when slower by both the ratio and the absolute margin: a ratio of two small figures never decides alone.
        var ratio = c / p;
        var ok = ratio <= maxRatio + Tolerance || c - p <= marginMs + Tolerance;
        var text = string.Create(Inv, $"candidate {what} {Ms(c)} ms vs primary {Ms(p)} ms: {Ratio(ratio)}x, {(c >= p ? "+" : "-")}{Ms(Math.Abs(c - p))} ms ({(ok ? "within" : "beyond")} {Ratio(maxRatio)}x and +{Ms(marginMs)} ms, i.e. {(ok ? "<=" : ">")} {Ms(threshold)} ms)");
        return new RuleResult(name, ok ? RuleOutcome.Pass : RuleOutcome.Fail, c, threshold, "ms", text);
    }

    private static long Successes(ArmStats arm) =>
        arm.Successes ?? (long)Math.Round(arm.Requests * (arm.SuccessRate ?? 0));

    private static RuleResult Cost(ShadowStats stats, ReadinessOptions options)
    {
        const string Name = "cost";
        var cost = stats.Cost;
        var primaryUsd = cost?.PrimaryUsd ?? stats.Primary.CostUsd;
        var candidateUsd = cost?.CandidateUsd ?? stats.Candidate.CostUsd;
        var excluded = cost is null ? string.Empty : string.Create(Inv, $" over {cost.Compared} exchanges priced on both sides ({cost.Excluded} excluded)");
        if (primaryUsd <= 0)
        {
            return new RuleResult(Name, RuleOutcome.Skipped, null, null, "USD", $"cost ratio skipped: primary cost is 0 (no priced usage){excluded}");
        }

        var ratio = (double)(candidateUsd / primaryUsd);
        var ok = ratio <= options.MaxCostRatio + Tolerance;
        return new RuleResult(Name, ok ? RuleOutcome.Pass : RuleOutcome.Fail, (double)candidateUsd, (double)primaryUsd * options.MaxCostRatio, "USD",
            string.Create(Inv, $"candidate cost {Usd(candidateUsd)} is {Ratio(ratio)}x primary {Usd(primaryUsd)} (max {Ratio(options.MaxCostRatio)}x){excluded}"));
    }

    private static RuleResult Dropped(ShadowStats stats, ReadinessOptions options)
    {
        // Dropped rate: sampled exchanges that never reached the candidate.
        var sampled = stats.Total + stats.Dropped;
        var dropped = sampled == 0 ? 0 : (double)stats.Dropped / sampled;
        var ok = dropped <= options.MaxDroppedRate + Tolerance;
        return new RuleResult("droppedRate", ok ? RuleOutcome.Pass : RuleOutcome.Fail, Pct(dropped), Pct(options.MaxDroppedRate), "%",
            string.Create(Inv, $"dropped rate {PctText(dropped)} ({stats.Dropped} of {sampled}) {(ok ? "<=" : ">")} {PctText(options.MaxDroppedRate)}"));
    }

    private static double? Pct(double? share) => share is { } s ? Math.Round(s * 100, 4) : null;

    private static string PctText(double share) => (share * 100).ToString("0.0##", Inv) + " %";

    private static string Points(double share) => (share * 100).ToString("0.0##", Inv) + " points";

    private static string P(double p) => p.ToString(p < 0.001 ? "0.0e0" : "0.000", Inv);

    private static string Usd(decimal value) => value.ToString("0.00####", Inv) + " USD";

    private static string Ratio(double value) => value.ToString("0.0##", Inv);

    private static string Ms(double value) => value.ToString(value >= 100 ? "0" : "0.#", Inv);
}
