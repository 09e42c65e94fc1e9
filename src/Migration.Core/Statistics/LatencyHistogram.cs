using System.Buffers.Binary;
using System.Numerics;

namespace Migration.Core.Statistics;

/// <summary>
/// A mergeable log-linear histogram of durations in microseconds (the HdrHistogram idea, fixed precision):
/// exact below 256 µs, then 128 linear sub-buckets per power of two, so a reported percentile is within
/// 0.4 % of a recorded value. Recording is lock-free and allocation-free; merging adds counts.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits; // 128
    private const byte FormatVersion = 1;

    /// <summary>Largest trackable value: about 1.2 hours. Larger values are clamped to it.</summary>
    public const long MaxTrackableMicroseconds = (1L << 32) - 1;

    /// <summary>Number of buckets the histogram has.</summary>
    public static readonly int BucketCount = IndexOf(MaxTrackableMicroseconds) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _min = long.MaxValue;
    private long _max = long.MinValue;
    private long _sum;

    /// <summary>Number of recorded values.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Smallest recorded value in µs, or 0 when empty.</summary>
    public long MinMicroseconds => Count == 0 ? 0 : Volatile.Read(ref _min);

    /// <summary>Largest recorded value in µs, or 0 when empty.</summary>
    public long MaxMicroseconds => Count == 0 ? 0 : Volatile.Read(ref _max);

    /// <summary>Sum of recorded values in µs (after clamping).</summary>
    public long SumMicroseconds => Volatile.Read(ref _sum);

    /// <summary>Mean in milliseconds, or 0 when empty.</summary>
    public double MeanMilliseconds => Count == 0 ? 0 : SumMicroseconds / 1000.0 / Count;

    /// <summary>Records one duration.</summary>
    public void Record(TimeSpan duration) => RecordMicroseconds(duration.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>Records one value in microseconds; negative values count as 0, huge ones are clamped.</summary>
    public void RecordMicroseconds(long microseconds) => RecordMicroseconds(microseconds, 1);

    /// <summary>Records <paramref name="count"/> occurrences of a value in microseconds.</summary>
    public void RecordMicroseconds(long microseconds, long count)
    {
        if (count <= 0)
        {
            return;
        }

        var value = Math.Clamp(microseconds, 0, MaxTrackableMicroseconds);
        Interlocked.Add(ref _counts[IndexOf(value)], count);
        Interlocked.Add(ref _count, count);
        Interlocked.Add(ref _sum, value * count);
        UpdateMin(value);
        UpdateMax(value);
    }

    /// <summary>Adds every count of <paramref name="other"/> into this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < BucketCount; i++)
        {
            var c = Volatile.Read(ref other._counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref _counts[i], c);
            }
        }

        Interlocked.Add(ref _count, other.Count);
        Interlocked.Add(ref _sum, other.SumMicroseconds);
        UpdateMin(other.MinMicroseconds);
        UpdateMax(other.MaxMicroseconds);
    }

    /// <summary>
    /// Adds the stored form written by <see cref="ToBytes"/> into this histogram without allocating one (the
    /// time series merges hundreds of thousands of stored buckets).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="data"/> is not a stored histogram.</exception>
    public void MergeBytes(ReadOnlySpan<byte> data)
    {
        if (data.Length < 37 || data[0] != FormatVersion)
        {
            throw new FormatException("Not a latency histogram (unknown version or too short).");
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(data[1..]);
        var n = BinaryPrimitives.ReadInt32LittleEndian(data[33..]);
        if (n < 0 || data.Length < 37 + (n * 12))
        {
            throw new FormatException("Latency histogram is truncated.");
        }

        if (count == 0)
        {
            return;
        }

        var at = 37;
        for (var i = 0; i < n; i++)
        {
            var index = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            if ((uint)index >= (uint)BucketCount)
            {
                throw new FormatException($"Latency histogram bucket {index} is out of range.");
            }

            Interlocked.Add(ref _counts[index], BinaryPrimitives.ReadInt64LittleEndian(data[(at + 4)..]));
            at += 12;
        }

        Interlocked.Add(ref _count, count);
        Interlocked.Add(ref _sum, BinaryPrimitives.ReadInt64LittleEndian(data[25..]));
        UpdateMin(BinaryPrimitives.ReadInt64LittleEndian(data[9..]));
        UpdateMax(BinaryPrimitives.ReadInt64LittleEndian(data[17..]));
    }

    /// <summary>
    /// Empties the histogram for reuse, clearing only the buckets between the recorded min and max. Not safe while
    /// another thread records.
    /// </summary>
    public void Reset()
    {
        if (Count != 0)
        {
            var from = IndexOf(MinMicroseconds);
            Array.Clear(_counts, from, IndexOf(MaxMicroseconds) - from + 1);
        }

        _count = 0;
        _sum = 0;
        _min = long.MaxValue;
        _max = long.MinValue;
    }

    /// <summary>
    /// Several percentiles (0..100, ascending) in milliseconds in one pass from the min's bucket to the max's, each
    /// as <see cref="PercentileMicroseconds"/> computes it; all 0 when empty.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length, or the percentiles are not ascending within 0..100.</exception>
    public void PercentilesMilliseconds(ReadOnlySpan<double> percentiles, Span<double> milliseconds)
    {
        if (percentiles.Length != milliseconds.Length)
        {
            throw new ArgumentException("One result per percentile.", nameof(milliseconds));
        }

        for (var p = 0; p < percentiles.Length; p++)
        {
            if (double.IsNaN(percentiles[p]) || percentiles[p] < 0 || percentiles[p] > 100 || (p > 0 && percentiles[p] < percentiles[p - 1]))
            {
                throw new ArgumentException("Percentiles must be ascending within 0..100.", nameof(percentiles));
            }
        }

        var total = Count;
        if (total == 0)
        {
            milliseconds.Clear();
            return;
        }

        Span<long> ranks = percentiles.Length <= 16 ? stackalloc long[percentiles.Length] : new long[percentiles.Length];
        for (var p = 0; p < percentiles.Length; p++)
        {
            ranks[p] = Rank(percentiles[p], total);
        }

        long min = MinMicroseconds, max = MaxMicroseconds, seen = 0;
        var next = 0;
        var last = IndexOf(max);
        for (var i = IndexOf(min); i <= last && next < percentiles.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            while (next < percentiles.Length && seen >= ranks[next])
            {
                var (lower, width) = BucketRange(i);
                milliseconds[next++] = Math.Clamp(lower + ((width - 1) / 2.0), min, max) / 1000.0;
            }
        }

        for (; next < percentiles.Length; next++)
        {
            milliseconds[next] = max / 1000.0;
        }
    }

    /// <summary>A copy of this histogram.</summary>
    public LatencyHistogram Clone()
    {
        var copy = new LatencyHistogram();
        copy.Merge(this);
        return copy;
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0..100) in microseconds: the midpoint of the
    /// bucket holding the nearest-rank value, clamped to the recorded min and max. 0 when empty.
    /// </summary>
    public double PercentileMicroseconds(double percentile)
    {
        if (double.IsNaN(percentile) || percentile < 0 || percentile > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Percentile must be within 0..100.");
        }

        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Rank(percentile, total);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                var (lower, width) = BucketRange(i);
                var mid = lower + ((width - 1) / 2.0);
                return Math.Clamp(mid, MinMicroseconds, MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    /// <summary>The value at a percentile (0..100) in milliseconds.</summary>
    public double PercentileMilliseconds(double percentile) => PercentileMicroseconds(percentile) / 1000.0;

    /// <summary>Count of values strictly above <paramref name="microseconds"/> (bucket resolution).</summary>
    public long CountAbove(long microseconds)
    {
        var from = IndexOf(Math.Clamp(microseconds, 0, MaxTrackableMicroseconds)) + 1;
        long n = 0;
        for (var i = from; i < BucketCount; i++)
        {
            n += Volatile.Read(ref _counts[i]);
        }

        return n;
    }

    /// <summary>Non-empty buckets as (index, count), in index order.</summary>
    public IEnumerable<(int Index, long Count)> NonEmptyBuckets()
    {
        for (var i = 0; i < BucketCount; i++)
        {
            var c = Volatile.Read(ref _counts[i]);
            if (c != 0)
            {
                yield return (i, c);
            }
        }
    }

    /// <summary>Compact, versioned binary form (sparse buckets) for storage.</summary>
    public byte[] ToBytes()
    {
        var buckets = NonEmptyBuckets().ToList();
        var buffer = new byte[1 + (8 * 4) + 4 + (buckets.Count * 12)];
        var span = buffer.AsSpan();
        span[0] = FormatVersion;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], Count);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], MinMicroseconds);
        BinaryPrimitives.WriteInt64LittleEndian(span[17..], MaxMicroseconds);
        BinaryPrimitives.WriteInt64LittleEndian(span[25..], SumMicroseconds);
        BinaryPrimitives.WriteInt32LittleEndian(span[33..], buckets.Count);
        var at = 37;
        foreach (var (index, count) in buckets)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], index);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 4)..], count);
            at += 12;
        }

        return buffer;
    }

    /// <summary>Reads the form written by <see cref="ToBytes"/>.</summary>
    public static LatencyHistogram FromBytes(ReadOnlySpan<byte> data)
    {
        if (data.Length < 37 || data[0] != FormatVersion)
        {
            throw new FormatException("Not a latency histogram (unknown version or too short).");
        }

        var h = new LatencyHistogram
        {
            _count = BinaryPrimitives.ReadInt64LittleEndian(data[1..]),
            _min = BinaryPrimitives.ReadInt64LittleEndian(data[9..]),
            _max = BinaryPrimitives.ReadInt64LittleEndian(data[17..]),
            _sum = BinaryPrimitives.ReadInt64LittleEndian(data[25..]),
        };
        var n = BinaryPrimitives.ReadInt32LittleEndian(data[33..]);
        if (n < 0 || data.Length < 37 + (n * 12))
        {
            throw new FormatException("Latency histogram is truncated.");
        }

        var at = 37;
        for (var i = 0; i < n; i++)
        {
            var index = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            if ((uint)index >= (uint)BucketCount)
            {
                throw new FormatException($"Latency histogram bucket {index} is out of range.");
            }

            h._counts[index] = BinaryPrimitives.ReadInt64LittleEndian(data[(at + 4)..]);
            at += 12;
        }

        if (h._count == 0)
        {
            h._min = long.MaxValue;
            h._max = long.MinValue;
        }

        return h;
    }

    // In decimal: in double 99.9 / 100 * 20000 is 19980.000000000004 and the ceiling would skip a rank.
    private static long Rank(double percentile, long total) => Math.Max(1, (long)Math.Ceiling((decimal)percentile * total / 100m));

    internal static int IndexOf(long value)
    {
        if (value < 2 * SubBucketCount)
        {
            return (int)value;
        }

        var shift = BitOperations.Log2((ulong)value) - SubBucketBits;
        return (shift * SubBucketCount) + (int)(value >> shift);
    }

    internal static (long Lower, long Width) BucketRange(int index)
    {
        if (index < 2 * SubBucketCount)
        {
            return (index, 1);
        }

        var shift = (index / SubBucketCount) - 1;
        var mantissa = (index % SubBucketCount) + SubBucketCount;
        return ((long)mantissa << shift, 1L << shift);
    }

    private void UpdateMin(long value)
    {
        var current = Volatile.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMax(long value)
    {
        var current = Volatile.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
