using System.Globalization;

namespace Migration.Core.Reporting;

/// <summary>
/// Applies <see cref="ReadinessOptions"/> to shadow figures. Below <see cref="ReadinessOptions.MinCompared"/>
/// compared requests the answer is <see cref="Recommendation.InsufficientData"/>. Otherwise every rule is checked
/// (match rate, candidate success rate, p95 latency ratio, p95 TTFT ratio, cost ratio, dropped rate); a value
/// exactly at its threshold passes. Any failed rule gives <see cref="Recommendation.NeedsTuning"/>, all met
/// <see cref="Recommendation.Ready"/>. A ratio rule without data on both sides (no TTFT, primary cost 0) is
/// reported as skipped and does not fail. Reasons list every rule, failing ones first.
/// </summary>
public static class ReadinessEvaluator
{
    // Figures come from SQL aggregates: forgive floating noise at the threshold.
    private const double Tolerance = 1e-9;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The recommendation and one reason per rule (met or not), naming the numbers.</summary>
    public static (Recommendation Recommendation, IReadOnlyList<string> Reasons) Evaluate(ShadowStats stats, ReadinessOptions options)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);
        if (stats.Compared < options.MinCompared)
        {
            return (Recommendation.InsufficientData,
                [string.Create(Inv, $"compared {stats.Compared} < minimum {options.MinCompared}: not enough data to judge")]);
        }

        var failed = new List<string>();
        var passed = new List<string>();

        void Rule(bool ok, string reason) => (ok ? passed : failed).Add(reason);

        // Match rate.
        if (stats.MatchRate is { } match)
        {
            var ok = match >= options.MinMatchRate - Tolerance;
            Rule(ok, $"match rate {Rate(match)} {(ok ? ">=" : "<")} {Rate(options.MinMatchRate)}");
        }
        else
        {
            Rule(false, "match rate unknown (no compared rows)");
        }

        // Candidate success rate.
        if (stats.Candidate.SuccessRate is { } success)
        {
            var ok = success >= options.MinCandidateSuccessRate - Tolerance;
            Rule(ok, $"candidate success rate {Rate(success)} {(ok ? ">=" : "<")} {Rate(options.MinCandidateSuccessRate)}");
        }
        else
        {
            Rule(false, "candidate success rate unknown (no candidate rows)");
        }

        // Latency and TTFT ratios.
        RatioRule(Rule, passed, "p95 latency", stats.Candidate.LatencyMs.P95, stats.Primary.LatencyMs.P95, options.MaxP95LatencyRatio);
        RatioRule(Rule, passed, "p95 TTFT", stats.Candidate.TtftMs.P95, stats.Primary.TtftMs.P95, options.MaxP95TtftRatio);

        // Cost ratio.
        if (stats.Primary.CostUsd > 0)
        {
            var ratio = (double)(stats.Candidate.CostUsd / stats.Primary.CostUsd);
            var ok = ratio <= options.MaxCostRatio + Tolerance;
            Rule(ok, string.Create(Inv, $"candidate cost ${stats.Candidate.CostUsd:0.00####} is {Ratio(ratio)}x primary ${stats.Primary.CostUsd:0.00####} (max {Ratio(options.MaxCostRatio)}x)"));
        }
        else
        {
            passed.Add("cost ratio skipped: primary cost is 0 (no priced usage)");
        }

        // Dropped rate: sampled exchanges that never reached the candidate.
        var sampled = stats.Total + stats.Dropped;
        var dropped = sampled == 0 ? 0 : (double)stats.Dropped / sampled;
        var droppedOk = dropped <= options.MaxDroppedRate + Tolerance;
        Rule(droppedOk, string.Create(Inv, $"dropped rate {Rate(dropped)} ({stats.Dropped} of {sampled}) {(droppedOk ? "<=" : ">")} {Rate(options.MaxDroppedRate)}"));

        var recommendation = failed.Count == 0 ? Recommendation.Ready : Recommendation.NeedsTuning;
        return (recommendation, [.. failed, .. passed]);
    }

    /// <summary><c>READY</c>, <c>NEEDS_TUNING</c> or <c>INSUFFICIENT_DATA</c>.</summary>
    public static string ToWireName(Recommendation recommendation) => recommendation switch
    {
        Recommendation.Ready => "READY",
        Recommendation.NeedsTuning => "NEEDS_TUNING",
        _ => "INSUFFICIENT_DATA",
    };

    private static void RatioRule(Action<bool, string> rule, List<string> passed, string what, double? candidate, double? primary, double max)
    {
        if (candidate is not { } c || primary is not { } p || p <= 0)
        {
            passed.Add($"{what} ratio skipped: not measured on both sides");
            return;
        }

        var ratio = c / p;
        var ok = ratio <= max + Tolerance;
        rule(ok, $"candidate {what} {Ms(c)} ms is {Ratio(ratio)}x primary {Ms(p)} ms (max {Ratio(max)}x)");
    }

    private static string Rate(double value) => value.ToString("0.00##", Inv);

    private static string Ratio(double value) => value.ToString("0.0##", Inv);

    private static string Ms(double value) => value.ToString(value >= 100 ? "0" : "0.#", Inv);
}
