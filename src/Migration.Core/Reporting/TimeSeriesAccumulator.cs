using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;

namespace Migration.Core.Reporting;

/// <summary>
/// Folds stored traffic buckets (any instance, model, arm) into per-slot series. Buckets must come in order of
/// their second (the storage reads them so): a slot's histograms are merged, turned into percentiles when the next
/// slot starts and reused, so memory stays a few arrays per arm however many buckets a day holds.
/// </summary>
public sealed class TimeSeriesAccumulator
{
    private static readonly double[] Percentiles = [50, 95, 99];

    private static readonly string[] ClassNames =
    [
        ErrorClassNames.Of(ErrorClass.Timeout), ErrorClassNames.Of(ErrorClass.RateLimited), ErrorClassNames.Of(ErrorClass.ServerError),
        ErrorClassNames.Of(ErrorClass.ClientError), ErrorClassNames.Of(ErrorClass.Connection), ErrorClassNames.Of(ErrorClass.Other),
        ErrorClassNames.Of(ErrorClass.Fallback),
    ];

    private readonly TimeSeriesQuery _query;
    private readonly Arm?[] _arms = new Arm?[Enum.GetValues<TrafficArm>().Length];
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private long _buckets;

    /// <summary>Creates an accumulator for the slots of <paramref name="query"/>.</summary>
    public TimeSeriesAccumulator(TimeSeriesQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _query = query;
    }

    /// <summary>Adds a bucket (convenience for buckets already read).</summary>
    public void Add(TrafficBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        Add(bucket.Second, bucket.Arm, TrafficCounts.Of(bucket), bucket.Latency.ToBytes(), bucket.Ttft.ToBytes());
    }

    /// <summary>Adds one stored bucket: its second, arm, counters and histograms in their stored form.</summary>
    /// <exception cref="ArgumentException"><paramref name="second"/> is earlier than a second added before.</exception>
    public void Add(DateTimeOffset second, TrafficArm arm, in TrafficCounts counts, ReadOnlySpan<byte> latency, ReadOnlySpan<byte> ttft)
    {
        if (second < _last)
        {
            throw new ArgumentException("Buckets must be added in order of their second.", nameof(second));
        }

        _last = second;
        var slot = _query.SlotOf(second);
        if (slot < 0)
        {
            return;
        }

        _buckets++;
        var a = _arms[(int)arm] ??= new Arm(_query.Points);
        a.Add(slot, counts, latency, ttft);
    }

    /// <summary>The series so far (closes the open slots).</summary>
    public TrafficSeries Build()
    {
        var points = _query.Points;
        var time = new long[points];
        for (var i = 0; i < points; i++)
        {
            time[i] = _query.SlotStart(i).ToUnixTimeSeconds();
        }

        var arms = new Dictionary<string, ArmSeries>();
        long requests = 0, sampled = 0, dropped = 0;
        foreach (var arm in Enum.GetValues<TrafficArm>())
        {
            if (_arms[(int)arm] is not { } a)
            {
                continue;
            }

            var series = a.Build(_query);
            if (series.Totals.Requests == 0 && series.Totals.ShadowSampled == 0 && series.Totals.ShadowDropped == 0)
            {
                continue;
            }

            arms[TrafficArmNames.Of(arm)] = series;
            requests += series.Totals.Requests;
            sampled += series.Totals.ShadowSampled;
            dropped += series.Totals.ShadowDropped;
        }

        return new TrafficSeries(time, arms, new TimeSeriesTotals(requests, sampled, dropped, _buckets));
    }

    private sealed class Arm(int points)
    {
        private readonly long[] _requests = new long[points];
        private readonly long[] _successes = new long[points];
        private readonly long[][] _errors = [.. ClassNames.Select(_ => new long[points])];
        private readonly long[] _sampled = new long[points];
        private readonly long[] _dropped = new long[points];
        private readonly double[][] _latency = [.. Percentiles.Select(_ => Gaps(points))];
        private readonly double[][] _ttft = [.. Percentiles.Select(_ => Gaps(points))];
        private readonly LatencyHistogram _slotLatency = new();
        private readonly LatencyHistogram _slotTtft = new();
        private readonly LatencyHistogram _totalLatency = new();
        private int _slot = -1;

        public void Add(int slot, in TrafficCounts c, ReadOnlySpan<byte> latency, ReadOnlySpan<byte> ttft)
        {
            if (slot != _slot)
            {
                Close();
                _slot = slot;
            }

            _requests[slot] += c.Requests;
            _successes[slot] += c.Successes;
            _errors[0][slot] += c.ErrorsTimeout;
            _errors[1][slot] += c.ErrorsRateLimited;
            _errors[2][slot] += c.ErrorsServer;
            _errors[3][slot] += c.ErrorsClient;
            _errors[4][slot] += c.ErrorsConnection;
            _errors[5][slot] += c.ErrorsOther;
            _errors[6][slot] += c.Fallbacks;
            _sampled[slot] += c.ShadowSampled;
            _dropped[slot] += c.ShadowDropped;
            _slotLatency.MergeBytes(latency);
            _slotTtft.MergeBytes(ttft);
            _totalLatency.MergeBytes(latency);
        }

        public ArmSeries Build(TimeSeriesQuery query)
        {
            Close();
            var points = _requests.Length;
            var rps = new double[points];
            var failures = new long[points];
            var errorRate = new double?[points];
            for (var i = 0; i < points; i++)
            {
                rps[i] = Math.Round(_requests[i] / query.SlotSeconds(i), 3);
                failures[i] = Failures(_requests[i], _successes[i], i);
                errorRate[i] = _requests[i] == 0 ? null : Math.Round((double)failures[i] / _requests[i], 5);
            }

            var byClass = new Dictionary<string, IReadOnlyList<long>>();
            var classTotals = new Dictionary<string, long>();
            for (var k = 0; k < ClassNames.Length; k++)
            {
                var sum = _errors[k].Sum();
                if (sum != 0)
                {
                    byClass[ClassNames[k]] = _errors[k];
                    classTotals[ClassNames[k]] = sum;
                }
            }

            long requests = _requests.Sum(), successes = _successes.Sum();
            var errors = classTotals.Values.Sum();
            var totalFailures = Math.Clamp(Math.Max(requests - successes, errors), 0, Math.Max(requests, 0));
            Span<double> p = stackalloc double[Percentiles.Length];
            _totalLatency.PercentilesMilliseconds(Percentiles, p);
            var hasLatency = _totalLatency.Count > 0;
            var dropped = _dropped.Sum();
            var totals = new ArmTotals(
                requests, successes, totalFailures, requests == 0 ? null : (double)totalFailures / requests, classTotals,
                _sampled.Sum(), dropped, hasLatency ? Round(p[0]) : null, hasLatency ? Round(p[1]) : null, hasLatency ? Round(p[2]) : null);
            return new ArmSeries(
                rps, _requests, failures, errorRate, byClass,
                Nullable(_latency[0]), Nullable(_latency[1]), Nullable(_latency[2]),
                Nullable(_ttft[0]), Nullable(_ttft[1]), Nullable(_ttft[2]),
                dropped == 0 ? null : _dropped, totals);
        }

        // As WindowStats counts them: the larger of requests - successes and errors + fallbacks, at most requests.
        private long Failures(long requests, long successes, int slot)
        {
            long errors = 0;
            foreach (var e in _errors)
            {
                errors += e[slot];
            }

            return Math.Clamp(Math.Max(requests - successes, errors), 0, Math.Max(requests, 0));
        }

        private void Close()
        {
            if (_slot < 0)
            {
                return;
            }

            Span<double> p = stackalloc double[Percentiles.Length];
            foreach (var (histogram, target) in new[] { (_slotLatency, _latency), (_slotTtft, _ttft) })
            {
                if (histogram.Count > 0)
                {
                    histogram.PercentilesMilliseconds(Percentiles, p);
                    for (var k = 0; k < p.Length; k++)
                    {
                        target[k][_slot] = p[k];
                    }
                }

                histogram.Reset();
            }

            _slot = -1;
        }

        private static double[] Gaps(int points)
        {
            var values = new double[points];
            Array.Fill(values, double.NaN);
            return values;
        }

        private static double?[] Nullable(double[] values)
        {
            var result = new double?[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                result[i] = double.IsNaN(values[i]) ? null : Round(values[i]);
            }

            return result;
        }

        private static double Round(double ms) => Math.Round(ms, ms >= 100 ? 0 : 2);
    }
}
