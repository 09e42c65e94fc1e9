using Migration.Simulator.Randomness;

namespace Migration.Simulator.Tests.Randomness;

public class LogNormalDistributionTests
{
    [Theory]
    [InlineData(300, 900)]
    [InlineData(20, 45)]
    [InlineData(1, 10)]
    public void Sample_ManyDraws_MedianAndP99MatchConfiguration(double median, double p99)
    {
        var distribution = new LogNormalDistribution(median, p99);
        var random = new SplitMix64(12345);
        var samples = new double[200_000];

        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = distribution.Sample(ref random);
        }

        Array.Sort(samples);
        Assert.InRange(samples[samples.Length / 2], median * 0.98, median * 1.02);
        Assert.InRange(samples[(int)(samples.Length * 0.99)], p99 * 0.95, p99 * 1.05);
    }

    [Fact]
    public void Constructor_MedianAndP99_FitsMuAndSigma()
    {
        var distribution = new LogNormalDistribution(300, 900);

        Assert.Equal(Math.Log(300), distribution.Mu, 12);
        Assert.Equal((Math.Log(900) - Math.Log(300)) / 2.3263, distribution.Sigma, 3);
    }

    [Fact]
    public void Sample_ZeroMedian_AlwaysZero()
    {
        var random = new SplitMix64(1);

        Assert.True(LogNormalDistribution.Zero.IsZero);
        Assert.Equal(0, new LogNormalDistribution(0, 0).Sample(ref random));
        Assert.Equal(0, new LogNormalDistribution(0, 50).Sample(ref random));
    }

    [Fact]
    public void Sample_P99EqualsMedian_IsConstant()
    {
        var distribution = new LogNormalDistribution(40, 40);
        var random = new SplitMix64(7);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(40, distribution.Sample(ref random)));
    }

    [Fact]
    public void Sample_SameSeed_SameSequence()
    {
        var distribution = new LogNormalDistribution(100, 400);
        var first = new SplitMix64(99);
        var second = new SplitMix64(99);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(distribution.Sample(ref first), distribution.Sample(ref second)));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(100, 50)]
    [InlineData(double.NaN, 10)]
    public void Constructor_InvalidParameters_Throws(double median, double p99)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogNormalDistribution(median, p99));
    }
}
