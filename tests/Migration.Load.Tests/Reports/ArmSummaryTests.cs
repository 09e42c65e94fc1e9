using Migration.Load.Driver;
using Migration.Load.Reports;

namespace Migration.Load.Tests.Reports;

public sealed class ArmSummaryTests
{
    private static ScenarioStats Round(double latencyMs, int ok, double seconds)
    {
        var stats = new ScenarioStats("r") { Duration = TimeSpan.FromSeconds(seconds) };
        for (var i = 0; i < ok; i++)
        {
            stats.Add(Response.Ok(), (long)(latencyMs * 1000), null);
        }

        return stats;
    }

    [Fact]
    public void FromRounds_ThreeRounds_ReportsMedianRoundAndSpread()
    {
        var arm = ArmSummary.FromRounds([Round(10, 100, 1), Round(30, 100, 2), Round(20, 100, 4)]);

        Assert.Equal(20, arm.LatencyMs.P50, 1);
        Assert.Equal(50, arm.Rps);
        Assert.Equal(300, arm.Ok);
        Assert.Equal(3, arm.Rounds);
        Assert.Equal([10, 30], arm.Spread!.P50.Select(v => Math.Round(v)).ToArray());
        Assert.Equal([25, 100], arm.Spread.Rps);
    }

    [Fact]
    public void MedianOf_EvenCount_TakesLowerMiddle()
    {
        Assert.Equal(2, ArmSummary.MedianOf([4.0, 1.0, 2.0, 3.0]));
    }
}
