using Migration.Core.Statistics;

namespace Migration.Core.Tests.Statistics;

public class LatencyHistogramTests
{
    private const long OneHourMicros = 3_600_000_000;

    private static readonly double[] Percentiles = [0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

    public static TheoryData<string, int> DataSets()
    {
        var data = new TheoryData<string, int>();
        foreach (var distribution in new[] { "uniform", "lognormal", "bimodal", "heavytail", "tiny", "wide" })
        {
            foreach (var seed in new[] { 1, 2, 3 })
            {
                data.Add(distribution, seed);
            }
        }

        return data;
    }

    private static long[] Generate(string distribution, int seed, int n)
    {
        var random = new Random(seed);
        var values = new long[n];
        for (var i = 0; i < n; i++)
        {
            var v = distribution switch
            {
                "uniform" => random.NextDouble() * 2_000_000,
                "lognormal" => Math.Exp(11 + (1.2 * Gaussian(random))), // median ~60 ms
                "bimodal" => random.NextDouble() < 0.7 ? 80_000 + (10_000 * Gaussian(random)) : 1_500_000 + (200_000 * Gaussian(random)),
                "heavytail" => 1_000 / Math.Pow(1 - random.NextDouble(), 1 / 1.1), // Pareto, alpha 1.1
                "tiny" => 1 + random.Next(600),
                "wide" => Math.Exp(random.NextDouble() * Math.Log(OneHourMicros)), // log-uniform 1 µs .. 1 h
                _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
            };
            values[i] = Math.Clamp((long)v, 1, OneHourMicros);
        }

        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Nearest-rank percentile on sorted data, rank computed in decimal so 95 % of 100 is exactly rank 95.</summary>
    private static long NearestRank(long[] sorted, double percentile)
    {
        var rank = (long)Math.Ceiling((decimal)percentile * sorted.Length / 100m);
        return sorted[Math.Max(1, rank) - 1];
    }

    private static LatencyHistogram Record(IEnumerable<long> values)
    {
        var h = new LatencyHistogram();
        foreach (var v in values)
        {
            h.RecordMicroseconds(v);
        }

        return h;
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void PercentileMicroseconds_RandomData_WithinOnePercentOfExact(string distribution, int seed)
    {
        var values = Generate(distribution, seed, 20_000);
        var h = Record(values);
        Array.Sort(values);

        foreach (var p in Percentiles)
        {
            var exact = NearestRank(values, p);
            var actual = h.PercentileMicroseconds(p);
            Assert.True(Math.Abs(actual - exact) <= exact * 0.01, $"{distribution}/{seed} p{p}: histogram {actual} vs exact {exact}");
        }

        Assert.Equal(values.Length, h.Count);
        Assert.Equal(values[0], h.MinMicroseconds);
        Assert.Equal(values[^1], h.MaxMicroseconds);
        Assert.Equal(values.Sum(), h.SumMicroseconds);
    }

    [Fact]
    public void PercentileMicroseconds_OneToHundred_NearestRankExact()
    {
        var h = Record(Enumerable.Range(1, 100).Select(i => (long)i));

        Assert.Equal(95, h.PercentileMicroseconds(95));
        Assert.Equal(99, h.PercentileMicroseconds(99));
        Assert.Equal(50, h.PercentileMicroseconds(50));
        Assert.Equal(1, h.PercentileMicroseconds(0));
        Assert.Equal(100, h.PercentileMicroseconds(100));
    }

    [Fact]
    public void PercentileMicroseconds_FractionalPercentile_NearestRankExact()
    {
        var h = Record(Enumerable.Range(1, 200).Select(i => (long)i));

        // 99.9 % of 200 = 199.8 -> rank 200; 99.5 % of 200 = 199 exactly -> rank 199.
        Assert.Equal(200, h.PercentileMicroseconds(99.9));
        Assert.Equal(199, h.PercentileMicroseconds(99.5));
    }

    [Fact]
    public void PercentileMicroseconds_Empty_Zero()
    {
        Assert.Equal(0, new LatencyHistogram().PercentileMicroseconds(99));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.01)]
    [InlineData(double.NaN)]
    public void PercentileMicroseconds_OutOfRange_Throws(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().PercentileMicroseconds(p));
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void Merge_TwoParts_EqualsRecordingAll(string distribution, int seed)
    {
        var values = Generate(distribution, seed, 5_000);
        var split = new Random(seed).Next(values.Length);
        var a = Record(values[..split]);
        var b = Record(values[split..]);

        a.Merge(b);

        Assert.Equal(Record(values).ToBytes(), a.ToBytes());
    }

    [Fact]
    public void Merge_Empty_NoChange()
    {
        var h = Record([5, 500, 5_000_000]);
        var before = h.ToBytes();

        h.Merge(new LatencyHistogram());

        Assert.Equal(before, h.ToBytes());
    }

    [Fact]
    public void Merge_IntoEmpty_TakesMinAndMax()
    {
        var h = new LatencyHistogram();

        h.Merge(Record([700, 9_000]));

        Assert.Equal(700, h.MinMicroseconds);
        Assert.Equal(9_000, h.MaxMicroseconds);
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void FromBytes_ToBytes_RoundTrips(string distribution, int seed)
    {
        var h = Record(Generate(distribution, seed, 3_000));

        var copy = LatencyHistogram.FromBytes(h.ToBytes());

        Assert.Equal(h.ToBytes(), copy.ToBytes());
        Assert.Equal((h.Count, h.MinMicroseconds, h.MaxMicroseconds, h.SumMicroseconds), (copy.Count, copy.MinMicroseconds, copy.MaxMicroseconds, copy.SumMicroseconds));
        foreach (var p in Percentiles)
        {
            Assert.Equal(h.PercentileMicroseconds(p), copy.PercentileMicroseconds(p));
        }
    }

    [Fact]
    public void FromBytes_Empty_RoundTripsAndRecordsAfterwards()
    {
        var copy = LatencyHistogram.FromBytes(new LatencyHistogram().ToBytes());
        copy.RecordMicroseconds(42);

        Assert.Equal((1, 42, 42), (copy.Count, copy.MinMicroseconds, copy.MaxMicroseconds));
    }

    [Fact]
    public void FromBytes_UnknownVersionOrTruncated_Throws()
    {
        var bytes = Record([1, 2, 3]).ToBytes();
        var badVersion = (byte[])bytes.Clone();
        badVersion[0] = 99;

        Assert.Throws<FormatException>(() => LatencyHistogram.FromBytes(badVersion));
        Assert.Throws<FormatException>(() => LatencyHistogram.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<FormatException>(() => LatencyHistogram.FromBytes(bytes.AsSpan(0, 10)));
    }

    [Fact]
    public void RecordMicroseconds_ConcurrentThreads_LosesNothing()
    {
        const int Threads = 4;
        const int PerThread = 50_000;
        var h = new LatencyHistogram();
        var expected = new LatencyHistogram();
        var sets = Enumerable.Range(0, Threads).Select(t => Generate("wide", 100 + t, PerThread)).ToArray();
        foreach (var set in sets)
        {
            foreach (var v in set)
            {
                expected.RecordMicroseconds(v);
            }
        }

        using var start = new Barrier(Threads);
        var threads = sets.Select(set => new Thread(() =>
        {
            start.SignalAndWait();
            foreach (var v in set)
            {
                h.RecordMicroseconds(v);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(expected.ToBytes(), h.ToBytes());
    }

    [Fact]
    public void RecordMicroseconds_NegativeAndHuge_Clamped()
    {
        var h = new LatencyHistogram();

        h.RecordMicroseconds(-5);
        h.RecordMicroseconds(long.MaxValue);

        Assert.Equal(0, h.MinMicroseconds);
        Assert.Equal(LatencyHistogram.MaxTrackableMicroseconds, h.MaxMicroseconds);
    }

    [Fact]
    public void Record_TimeSpan_StoredInMicroseconds()
    {
        var h = new LatencyHistogram();

        h.Record(TimeSpan.FromMilliseconds(1.5));

        Assert.Equal(1_500, h.MaxMicroseconds);
        Assert.Equal(1.5, h.MeanMilliseconds);
    }

    [Fact]
    public void CountAbove_Threshold_CountsLargerValues()
    {
        var h = Record([100, 200, 300, 1_000_000, 2_000_000]);

        Assert.Equal(2, h.CountAbove(500_000));
        Assert.Equal(0, h.CountAbove(3_000_000));
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void MergeBytes_TwoStoredParts_EqualsRecordingAll(string distribution, int seed)
    {
        var values = Generate(distribution, seed, 5_000);
        var all = Record(values);
        var merged = new LatencyHistogram();

        merged.MergeBytes(Record(values[..2_000]).ToBytes());
        merged.MergeBytes(Record(values[2_000..]).ToBytes());
        merged.MergeBytes(new LatencyHistogram().ToBytes());

        Assert.Equal(all.ToBytes(), merged.ToBytes());
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void PercentilesMilliseconds_OnePass_SameAsPercentileMicroseconds(string distribution, int seed)
    {
        var h = Record(Generate(distribution, seed, 5_000));
        double[] percentiles = [0, 1, 50, 95, 99, 99.9, 100];
        var results = new double[percentiles.Length];

        h.PercentilesMilliseconds(percentiles, results);

        Assert.Equal(percentiles.Select(p => h.PercentileMicroseconds(p) / 1000.0), results);
    }

    [Fact]
    public void PercentilesMilliseconds_EmptyOrNotAscending_ZerosOrThrows()
    {
        var results = new double[2] { 7, 7 };
        new LatencyHistogram().PercentilesMilliseconds([50, 99], results);
        Assert.Equal([0, 0], results);
        Assert.Throws<ArgumentException>(() => Record([1, 2]).PercentilesMilliseconds([99, 50], results));
    }

    [Fact]
    public void Reset_AfterValues_EmptyAndRecordsAfresh()
    {
        var h = Record([100, 5_000, 2_000_000]);

        h.Reset();
        h.RecordMicroseconds(700);

        Assert.Equal(Record([700]).ToBytes(), h.ToBytes());
    }
}
