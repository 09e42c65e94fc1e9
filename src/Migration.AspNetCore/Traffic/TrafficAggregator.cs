using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Traffic;

/// <summary>
/// Folds request outcomes into per-second accumulators per arm and model; <see cref="Collect"/> turns finished
/// seconds into <see cref="TrafficBucket"/>s. Recording is a dictionary lookup and a few interlocked adds.
/// </summary>
internal sealed class TrafficAggregator
{
    /// <summary>Label used once too many distinct models were seen in one second (models come from clients).</summary>
    internal const string OtherModel = ModelLabel.Other;

    /// <summary>Label of requests whose model could not be read.</summary>
    internal const string UnknownModel = "(unknown)";

    internal const int MaxKeysPerFlush = 1000;

    private readonly ConcurrentDictionary<(long Second, TrafficArm Arm, string Model), TrafficAccumulator> _open = new();
    private readonly TimeProvider _time;
    private readonly string _instance;

    public TrafficAggregator(IOptions<MigrationHarnessOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _instance = options.Value.InstanceName;
    }

    /// <summary>Accumulators not yet collected.</summary>
    internal int OpenCount => _open.Count;

    public void RecordRequest(TrafficArm arm, string model, ErrorClass error, TimeSpan latency, TimeSpan? ttft)
    {
        var accumulator = Enter(arm, model);
        try
        {
            accumulator.AddRequest(error, latency, ttft);
        }
        finally
        {
            accumulator.Exit();
        }
    }

    public void RecordShadowSampled(string model)
    {
        var accumulator = Enter(TrafficArm.Primary, model);
        accumulator.AddShadowSampled();
        accumulator.Exit();
    }

    public void RecordShadowDropped(string model)
    {
        var accumulator = Enter(TrafficArm.Primary, model);
        accumulator.AddShadowDropped();
        accumulator.Exit();
    }

    /// <summary>
    /// Removes and returns the buckets of every second before the current one (or of every second, including the
    /// current, when <paramref name="includeCurrent"/> is true: at shutdown).
    /// </summary>
    public IReadOnlyList<TrafficBucket> Collect(bool includeCurrent = false)
    {
        var current = _time.GetUtcNow().ToUnixTimeSeconds();
        List<TrafficBucket>? buckets = null;
        foreach (var (key, _) in _open)
        {
            if (!includeCurrent && key.Second >= current)
            {
                continue;
            }

            if (_open.TryRemove(key, out var accumulator))
            {
                accumulator.Seal();
                buckets ??= [];
                buckets.Add(accumulator.ToBucket(DateTimeOffset.FromUnixTimeSeconds(key.Second), _instance, key.Arm, key.Model));
            }
        }

        if (buckets is null)
        {
            return [];
        }

        buckets.Sort(static (a, b) => a.Second.CompareTo(b.Second));
        return buckets;
    }

    private TrafficAccumulator Enter(TrafficArm arm, string model)
    {
        if (string.IsNullOrEmpty(model))
        {
            model = UnknownModel;
        }

        while (true)
        {
            var second = _time.GetUtcNow().ToUnixTimeSeconds();
            var key = (second, arm, model);
            if (!_open.TryGetValue(key, out var accumulator))
            {
                if (_open.Count >= MaxKeysPerFlush)
                {
                    key = (second, arm, OtherModel);
                }

                accumulator = _open.GetOrAdd(key, static _ => new TrafficAccumulator());
            }

            if (accumulator.TryEnter())
            {
                return accumulator;
            }

            // Sealed by a collection that raced with us: the clock has moved on, so take the current second's.
        }
    }
}
