using Migration.Core.Canary;
using Migration.Core.Exchange;
using Migration.Core.Reporting;
using Migration.Core.Statistics;
using Migration.Core.Storage;

namespace Migration.Core.Tests.Reporting;

public sealed class TimeSeriesAccumulatorTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_BucketsOfThreeInstances_MergedPerSlotAndArm()
    {
        var query = TimeSeriesQuery.Create(From, From.AddSeconds(30), 10);
        var accumulator = new TimeSeriesAccumulator(query);
        var buckets = new List<TrafficBucket>();
        var random = new Random(7);
        for (var second = 0; second < 30; second++)
        {
            foreach (var instance in new[] { "a", "b", "c" })
            {
                buckets.Add(Bucket(From.AddSeconds(second), instance, TrafficArm.Primary, 10, errorsServer: second % 7 == 0 ? 1 : 0, random));
                if (second >= 10)
                {
                    buckets.Add(Bucket(From.AddSeconds(second), instance, TrafficArm.Canary, 2, errorsServer: 0, random, fallbacks: second == 15 ? 1 : 0));
                }
            }
        }

        foreach (var b in buckets)
        {
            accumulator.Add(b);
        }

        var series = accumulator.Build();

        Assert.Equal([From.ToUnixTimeSeconds(), From.ToUnixTimeSeconds() + 10, From.ToUnixTimeSeconds() + 20], series.Time);
        Assert.Equal(["canary", "primary"], series.Arms.Keys.Order(StringComparer.Ordinal));
        var primary = series.Arms["primary"];
        Assert.Equal([300L, 300L, 300L], primary.Requests);
        Assert.Equal([30.0, 30.0, 30.0], primary.RequestsPerSecond);
        var canary = series.Arms["canary"];
        Assert.Equal([0L, 60L, 60L], canary.Requests);
        Assert.Null(canary.ErrorRate[0]);
        Assert.Null(canary.LatencyP99Ms[0]);
        Assert.Equal(3, canary.Failures[1]);
        Assert.Equal([0L, 3L, 0L], canary.ErrorsByClass["fallback"]);
        Assert.False(canary.ErrorsByClass.ContainsKey("timeout"));
        // Each slot's percentiles are those of the merged histogram of that slot's buckets (all instances).
        for (var slot = 0; slot < 3; slot++)
        {
            var merged = new LatencyHistogram();
            foreach (var b in buckets.Where(b => b.Arm == TrafficArm.Primary && query.SlotOf(b.Second) == slot))
            {
                merged.Merge(b.Latency);
            }

            Assert.Equal(Round(merged.PercentileMilliseconds(99)), primary.LatencyP99Ms[slot]);
            Assert.Equal(Round(merged.PercentileMilliseconds(50)), primary.LatencyP50Ms[slot]);
        }

        var window = WindowStats.FromBuckets(buckets, TrafficArm.Primary);
        Assert.Equal(window.Requests, primary.Totals.Requests);
        Assert.Equal(window.Failures, primary.Totals.Failures);
        Assert.Equal(Round(window.P99Milliseconds), primary.Totals.LatencyP99Ms);
        Assert.Equal(buckets.Sum(b => b.Requests), series.Totals.Requests);
        Assert.Equal(buckets.Count, series.Totals.Buckets);
    }

    [Fact]
    public void Add_BucketsOutsideWindow_Ignored()
    {
        var query = TimeSeriesQuery.Create(From, From.AddSeconds(20), 10);
        var accumulator = new TimeSeriesAccumulator(query);
        var random = new Random(1);

        accumulator.Add(Bucket(From.AddSeconds(-1), "a", TrafficArm.Primary, 5, 0, random));
        accumulator.Add(Bucket(From.AddSeconds(3), "a", TrafficArm.Primary, 5, 0, random));
        accumulator.Add(Bucket(From.AddSeconds(20), "a", TrafficArm.Primary, 5, 0, random));

        var series = accumulator.Build();
        Assert.Equal([5L, 0L], series.Arms["primary"].Requests);
        Assert.Equal(5, series.Totals.Requests);
    }

    [Fact]
    public void Add_OutOfOrder_Throws()
    {
        var accumulator = new TimeSeriesAccumulator(TimeSeriesQuery.Create(From, From.AddSeconds(20), 10));
        var random = new Random(1);
        accumulator.Add(Bucket(From.AddSeconds(5), "a", TrafficArm.Primary, 5, 0, random));

        Assert.Throws<ArgumentException>(() => accumulator.Add(Bucket(From.AddSeconds(4), "a", TrafficArm.Primary, 5, 0, random)));
    }

    [Fact]
    public void Build_PartialLastSlot_RateOverTheElapsedPart()
    {
        // "now" is 4 s into the second slot: its rate is over those 4 s, not the whole step.
        var query = TimeSeriesQuery.Create(From, From.AddSeconds(14), 10);
        var accumulator = new TimeSeriesAccumulator(query);
        accumulator.Add(Bucket(From.AddSeconds(11), "a", TrafficArm.Primary, 8, 0, new Random(1)));

        var series = accumulator.Build();

        Assert.Equal([0.0, 2.0], series.Arms["primary"].RequestsPerSecond);
    }

    private static double Round(double ms) => Math.Round(ms, ms >= 100 ? 0 : 2);

    private static TrafficBucket Bucket(DateTimeOffset second, string instance, TrafficArm arm, int requests, int errorsServer, Random random, int fallbacks = 0)
    {
        var latency = new LatencyHistogram();
        var ttft = new LatencyHistogram();
        for (var i = 0; i < requests; i++)
        {
            var us = (long)Math.Exp(11.5 + random.NextDouble());
            latency.RecordMicroseconds(us);
            ttft.RecordMicroseconds(us / 3);
        }

        return new TrafficBucket
        {
            Second = second,
            Instance = instance,
            Arm = arm,
            Model = "gpt-4.1",
            Requests = requests,
            Successes = requests - errorsServer - fallbacks,
            ErrorsServer = errorsServer,
            Fallbacks = fallbacks,
            Latency = latency,
            Ttft = ttft,
        };
    }
}
