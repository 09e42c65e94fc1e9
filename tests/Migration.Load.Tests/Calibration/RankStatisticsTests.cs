using Migration.Load.Calibration;

namespace Migration.Load.Tests.Calibration;

public sealed class RankStatisticsTests
{
    [Fact]
    public void Ties_get_their_average_rank()
    {
        Assert.Equal([1.0, 2.5, 2.5, 4.0], RankStatistics.Ranks([10, 20, 20, 30]));
        Assert.Equal([3.0, 1.0, 2.0], RankStatistics.Ranks([0.9, 0.1, 0.5]));
    }

    [Fact]
    public void Spearman_of_known_data()
    {
        // Monotone but not linear: rank correlation 1, reversed -1.
        Assert.Equal(1.0, RankStatistics.Spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 1000]), 12);
        Assert.Equal(-1.0, RankStatistics.Spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]), 12);

        // Textbook example without ties: sum d^2 = 2 over n = 5 -> 1 - 6*2/(5*24) = 0.9.
        Assert.Equal(0.9, RankStatistics.Spearman([1, 2, 3, 4, 5], [2, 1, 3, 4, 5]), 12);

        // With ties: ranks x = 1,2.5,2.5,4 and y = 1,2,3,4 -> Pearson of the ranks.
        Assert.Equal(0.9486832980505138, RankStatistics.Spearman([1, 2, 2, 3], [1, 2, 3, 4]), 12);
        Assert.True(double.IsNaN(RankStatistics.Spearman([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void F1_flags_scores_below_the_threshold_as_different()
    {
        // scores and labels (true = same): two different pairs at 0.1 and 0.85, same pairs at 0.9, 0.95, 0.5.
        double[] scores = [0.1, 0.85, 0.9, 0.95, 0.5];
        bool[] same = [false, false, true, true, true];
        var at08 = RankStatistics.F1Different(scores, same, 0.8);
        Assert.Equal((1, 1, 1, 2), (at08.TruePositives, at08.FalsePositives, at08.FalseNegatives, at08.TrueNegatives));
        Assert.Equal(0.5, at08.F1, 12);
        Assert.Equal(0.5, at08.Precision, 12);
        Assert.Equal(2.0 * 2 / ((2 * 2) + 2), at08.F1Same, 12);

        var (threshold, best) = RankStatistics.BestThreshold(scores, same);
        // 0.3 (flags 0.1 only) has macro F1 (2/3 + 6/7) / 2 = 0.76; 0.875 (flags 0.1, 0.5, 0.85) has (4/5 + 4/5) / 2.
        Assert.Equal(0.875, threshold, 12);
        Assert.Equal(0.8, best.MacroF1, 12);
    }
}
