using Migration.Core.Canary;
using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;

namespace Migration.Core.Tests.Canary;

public class WindowStatsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Empty_HasZeroRatesAndLatency()
    {
        Assert.Equal(0, WindowStats.Empty.ErrorRate);
        Assert.Equal(0, WindowStats.Empty.SuccessRate);
        Assert.Equal(0, WindowStats.Empty.Failures);
        Assert.Equal(0, WindowStats.Empty.P99Milliseconds);
    }

    [Fact]
    public void ErrorRate_FallbacksNotCountedAsSuccesses_AreFailures()
    {
        var stats = new WindowStats { Requests = 100, Successes = 90, Fallbacks = 10 };

        Assert.Equal(10, stats.Failures);
        Assert.Equal(0.1, stats.ErrorRate);
        Assert.Equal(0.9, stats.SuccessRate);
    }

    [Fact]
    public void ErrorRate_FallbacksAlsoCountedAsSuccesses_StillFailures()
    {
        var stats = new WindowStats { Requests = 100, Successes = 100, Fallbacks = 10 };

        Assert.Equal(0.1, stats.ErrorRate);
    }

    [Fact]
    public void ErrorRate_ClassifiedErrors_AreFailures()
    {
        var stats = new WindowStats
        {
            Requests = 100,
            Successes = 94,
            ErrorsTimeout = 1,
            ErrorsRateLimited = 1,
            ErrorsServer = 1,
            ErrorsClient = 1,
            ErrorsConnection = 1,
            ErrorsOther = 1,
        };

        Assert.Equal(6, stats.Errors);
        Assert.Equal(0.06, stats.ErrorRate);
        Assert.Equal(0.94, stats.SuccessRate);
    }

    [Fact]
    public void Failures_InconsistentCounts_NeverExceedRequests()
    {
        var stats = new WindowStats { Requests = 10, Successes = 0, ErrorsServer = 50, Fallbacks = 5 };

        Assert.Equal(10, stats.Failures);
        Assert.Equal(1, stats.ErrorRate);
    }

    [Fact]
    public void FromBuckets_SeveralInstances_SumsCountsAndTakesP99OfTheMergedHistogram()
    {
        // Instance a: 100 fast requests. Instance b: 98 fast, 2 very slow. Alone, b's p99 is 900 ms;
        // merged (200 values, 2 slow) the p99 is a fast value: percentiles must come from the merge.
        var a = Bucket("a", TrafficArm.Canary, T0, requests: 100, successes: 99, server: 1, latency: Histogram((10_000, 100)));
        var b = Bucket("b", TrafficArm.Canary, T0, requests: 100, successes: 95, fallbacks: 5, latency: Histogram((10_000, 98), (900_000, 2)));
        Assert.InRange(b.Latency.PercentileMilliseconds(99), 900 * 0.996, 900 * 1.004);

        var stats = WindowStats.FromBuckets([a, b]);

        Assert.Equal(200, stats.Requests);
        Assert.Equal(194, stats.Successes);
        Assert.Equal(1, stats.ErrorsServer);
        Assert.Equal(5, stats.Fallbacks);
        Assert.Equal(6, stats.Failures);
        Assert.Equal(0.03, stats.ErrorRate);
        Assert.Equal(10, stats.P99Milliseconds, 1);
    }

    [Fact]
    public void FromBuckets_TailAboveOnePercent_P99IsTheSlowValue()
    {
        var a = Bucket("a", TrafficArm.Canary, T0, requests: 100, successes: 100, latency: Histogram((10_000, 100)));
        var b = Bucket("b", TrafficArm.Canary, T0.AddSeconds(1), requests: 100, successes: 100, latency: Histogram((10_000, 97), (900_000, 3)));

        var stats = WindowStats.FromBuckets([a, b]);

        // Within the histogram's 0.4 % precision.
        Assert.InRange(stats.P99Milliseconds, 900 * 0.996, 900 * 1.004);
    }

    [Fact]
    public void FromBuckets_EveryErrorClass_IsSummed()
    {
        var bucket = Bucket("a", TrafficArm.Canary, T0, requests: 10, successes: 3, timeout: 1, rateLimited: 1, server: 1, client: 1, connection: 1, other: 1, fallbacks: 1, latency: Histogram((1_000, 10)));

        var stats = WindowStats.FromBuckets([bucket, bucket]);

        Assert.Equal((20L, 6L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), (stats.Requests, stats.Successes, stats.ErrorsTimeout, stats.ErrorsRateLimited, stats.ErrorsServer, stats.ErrorsClient, stats.ErrorsConnection, stats.ErrorsOther, stats.Fallbacks));
    }

    [Fact]
    public void FromBuckets_Arm_KeepsOnlyThatArm()
    {
        var canary = Bucket("a", TrafficArm.Canary, T0, requests: 10, successes: 10, latency: Histogram((1_000, 10)));
        var primary = Bucket("a", TrafficArm.Primary, T0, requests: 90, successes: 90, latency: Histogram((2_000, 90)));
        var shadow = Bucket("a", TrafficArm.Shadow, T0, requests: 50, successes: 50, latency: Histogram((3_000, 50)));

        Assert.Equal(10, WindowStats.FromBuckets([canary, primary, shadow], TrafficArm.Canary).Requests);
        Assert.Equal(90, WindowStats.FromBuckets([canary, primary, shadow], TrafficArm.Primary).Requests);
    }

    [Fact]
    public void FromBuckets_Window_IncludesStartExcludesEnd()
    {
        var buckets = Enumerable.Range(0, 10)
            .Select(i => Bucket("a", TrafficArm.Canary, T0.AddSeconds(i), requests: 1, successes: 1, latency: Histogram((1_000, 1))))
            .ToList();

        var stats = WindowStats.FromBuckets(buckets, TrafficArm.Canary, T0.AddSeconds(2), T0.AddSeconds(5));

        Assert.Equal(3, stats.Requests);
    }

    [Fact]
    public void FromBuckets_None_IsEmpty()
    {
        var stats = WindowStats.FromBuckets([]);

        Assert.Equal(WindowStats.Empty, stats);
    }

    private static LatencyHistogram Histogram(params (long Microseconds, long Count)[] values)
    {
        var h = new LatencyHistogram();
        foreach (var (us, count) in values)
        {
            h.RecordMicroseconds(us, count);
        }

        return h;
    }

    private static TrafficBucket Bucket(
        string instance,
        TrafficArm arm,
        DateTimeOffset second,
        long requests,
        long successes,
        LatencyHistogram latency,
        long timeout = 0,
        long rateLimited = 0,
        long server = 0,
        long client = 0,
        long connection = 0,
        long other = 0,
        long fallbacks = 0) => new()
        {
            Second = second,
            Instance = instance,
            Arm = arm,
            Model = "gpt-4.1",
            Requests = requests,
            Successes = successes,
            ErrorsTimeout = timeout,
            ErrorsRateLimited = rateLimited,
            ErrorsServer = server,
            ErrorsClient = client,
            ErrorsConnection = connection,
            ErrorsOther = other,
            Fallbacks = fallbacks,
            Latency = latency,
            Ttft = new LatencyHistogram(),
        };
}
