namespace Migration.Load.Calibration;

/// <summary>Agreement of a score with labels: Spearman's rank correlation and F1 of a threshold.</summary>
internal static class RankStatistics
{
    /// <summary>Spearman's rho: Pearson correlation of the ranks (ties get their average rank). NaN when either side is constant or fewer than 2 values.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException("x and y differ in length", nameof(y));
        }

        return x.Count < 2 ? double.NaN : Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>1-based ranks, ties averaged (1, 2.5, 2.5, 4).</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]].Equals(values[order[start]]))
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// F1 of flagging "different": a pair is flagged when its score is below <paramref name="threshold"/>; the positive
    /// class is the pairs labelled different (what a migration must catch). NaN when there is nothing to flag or find.
    /// </summary>
    public static BinaryScore F1Different(IReadOnlyList<double> scores, IReadOnlyList<bool> same, double threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var flagged = scores[i] < threshold;
            (tp, fp, fn, tn) = (flagged, same[i]) switch
            {
                (true, false) => (tp + 1, fp, fn, tn),
                (true, true) => (tp, fp + 1, fn, tn),
                (false, false) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
        }

        return new BinaryScore(tp, fp, fn, tn);
    }

    /// <summary>
    /// The threshold (among midpoints of the distinct scores) with the best <see cref="BinaryScore.MacroF1"/> (mean of
    /// the F1 of both classes, so flagging everything does not win on a set with more different than same pairs); the
    /// lowest such on ties.
    /// </summary>
    public static (double Threshold, BinaryScore Score) BestThreshold(IReadOnlyList<double> scores, IReadOnlyList<bool> same)
    {
        var distinct = scores.Distinct().Order().ToArray();
        var candidates = new List<double> { distinct[0] };
        for (var i = 0; i + 1 < distinct.Length; i++)
        {
            candidates.Add((distinct[i] + distinct[i + 1]) / 2);
        }

        candidates.Add(distinct[^1] + 1e-9);
        var best = (Threshold: candidates[0], Score: F1Different(scores, same, candidates[0]));
        foreach (var t in candidates.Skip(1))
        {
            var s = F1Different(scores, same, t);
            if (s.MacroF1 > best.Score.MacroF1 || double.IsNaN(best.Score.MacroF1))
            {
                best = (t, s);
            }
        }

        return best;
    }
}

/// <summary>Confusion counts with "different" as the positive class.</summary>
internal sealed record BinaryScore(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => TruePositives == 0 ? (FalseNegatives + FalsePositives == 0 ? double.NaN : 0) : 2.0 * TruePositives / ((2.0 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>F1 of the "same" class (true negatives as its hits).</summary>
    public double F1Same => TrueNegatives == 0 ? (FalseNegatives + FalsePositives == 0 ? double.NaN : 0) : 2.0 * TrueNegatives / ((2.0 * TrueNegatives) + FalsePositives + FalseNegatives);

    /// <summary>Mean of <see cref="F1"/> and <see cref="F1Same"/>.</summary>
    public double MacroF1 => (F1 + F1Same) / 2;

    public double Accuracy => (double)(TruePositives + TrueNegatives) / Math.Max(1, TruePositives + FalsePositives + FalseNegatives + TrueNegatives);
}
