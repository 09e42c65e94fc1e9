using Migration.Load.Driver;

namespace Migration.Load.Reports;

/// <summary>Turns measured runs into <see cref="ArmReport"/>s: one run as is, several rounds as their medians.</summary>
internal static class ArmSummary
{
    public static ArmReport From(ScenarioStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var arm = new ArmReport
        {
            Rps = Math.Round(stats.Rps, 1),
            Ok = stats.Ok,
            Fail = stats.Fail,
            LatencyMs = LatencyOf(stats),
            TtftMs = stats.Ttft.Count > 0 ? PercentilesOf(stats.Ttft) : null,
            DataMb = Math.Round(stats.Bytes / 1_048_576.0, 3),
            Failures = stats.Failures.Count > 0 ? new SortedDictionary<string, long>(stats.Failures.ToDictionary(), StringComparer.Ordinal) : null,
        };
        foreach (var (name, histogram) in stats.Custom)
        {
            arm.SetExtra(name + "P50Ms", Math.Round(histogram.PercentileMilliseconds(50), 3));
            arm.SetExtra(name + "P99Ms", Math.Round(histogram.PercentileMilliseconds(99), 3));
        }

        return arm;
    }

    /// <summary>
    /// Several rounds of the same arm: every figure is the median over rounds (for an even count, the lower
    /// middle round's value), counts are summed, and the spread gives min..max of the per-round p50, p99 and rps.
    /// </summary>
    public static ArmReport FromRounds(IReadOnlyList<ScenarioStats> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentOutOfRangeException.ThrowIfZero(rounds.Count);
        if (rounds.Count == 1)
        {
            return From(rounds[0]);
        }

        var arms = rounds.Select(From).ToList();
        var failures = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in rounds.SelectMany(r => r.Failures))
        {
            failures[key] = failures.GetValueOrDefault(key) + count;
        }

        var summary = new ArmReport
        {
            Rps = Median(arms, a => a.Rps),
            Ok = rounds.Sum(r => r.Ok),
            Fail = rounds.Sum(r => r.Fail),
            LatencyMs = new Percentiles(
                Median(arms, a => a.LatencyMs.P50),
                Median(arms, a => a.LatencyMs.P90),
                Median(arms, a => a.LatencyMs.P99),
                Median(arms, a => a.LatencyMs.Max)),
            TtftMs = arms.All(a => a.TtftMs is not null)
                ? new Percentiles(
                    Median(arms, a => a.TtftMs!.P50),
                    Median(arms, a => a.TtftMs!.P90),
                    Median(arms, a => a.TtftMs!.P99),
                    Median(arms, a => a.TtftMs!.Max))
                : null,
            DataMb = Math.Round(arms.Sum(a => a.DataMb), 3),
            Failures = failures.Count > 0 ? failures : null,
            Rounds = rounds.Count,
            Spread = new Spread(
                [arms.Min(a => a.LatencyMs.P50), arms.Max(a => a.LatencyMs.P50)],
                [arms.Min(a => a.LatencyMs.P99), arms.Max(a => a.LatencyMs.P99)],
                [arms.Min(a => a.Rps), arms.Max(a => a.Rps)]),
        };
        foreach (var key in arms.Where(a => a.Extra is not null).SelectMany(a => a.Extra!.Keys).Distinct(StringComparer.Ordinal))
        {
            var values = arms.Where(a => a.Extra?.ContainsKey(key) == true).Select(a => a.Extra![key]).ToList();
            summary.SetExtra(key, MedianOf(values));
        }

        return summary;
    }

    public static Percentiles LatencyOf(ScenarioStats stats) => PercentilesOf(stats.Latency);

    public static Percentiles PercentilesOf(Migration.Core.Statistics.LatencyHistogram histogram) => new(
        Math.Round(histogram.PercentileMilliseconds(50), 3),
        Math.Round(histogram.PercentileMilliseconds(90), 3),
        Math.Round(histogram.PercentileMilliseconds(99), 3),
        Math.Round(histogram.MaxMicroseconds / 1000.0, 3));

    /// <summary>Median (lower middle for even counts, so the value is one that was measured).</summary>
    public static double MedianOf(IReadOnlyCollection<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }

    private static double Median(List<ArmReport> arms, Func<ArmReport, double> selector) => MedianOf(arms.Select(selector).ToList());
}
