using System.Collections.Concurrent;
using Migration.Core.Statistics;

namespace Migration.Load.Driver;

/// <summary>
/// What one run of a scenario measured. Latencies of successful steps (from the intended send time in the open
/// model, from the actual send time in the closed model) go to <see cref="Latency"/>; failed steps to
/// <see cref="FailLatency"/> (except requests never started).
/// </summary>
internal sealed class ScenarioStats
{
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LatencyHistogram> _custom = new(StringComparer.Ordinal);
    private long _ok;
    private long _fail;
    private long _bytes;

    public ScenarioStats(string name) => Name = name;

    public string Name { get; }

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram FailLatency { get; } = new();

    public LatencyHistogram Ttft { get; } = new();

    public long Ok => Interlocked.Read(ref _ok);

    public long Fail => Interlocked.Read(ref _fail);

    /// <summary>Bytes of response data the steps reported.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The measured duration (the phases' scheduled time, or longer if the last answers came late).</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Requests per second that succeeded over <see cref="Duration"/>.</summary>
    public double Rps => Duration <= TimeSpan.Zero ? 0 : Ok / Duration.TotalSeconds;

    /// <summary>Failures by <see cref="StepResponse.FailureKey"/>.</summary>
    public IReadOnlyDictionary<string, long> Failures => _failures;

    /// <summary>Custom histograms recorded by the step through <see cref="IStepContext.Record"/>.</summary>
    public IReadOnlyDictionary<string, LatencyHistogram> Custom => _custom;

    internal void Add(StepResponse response, long latencyMicroseconds, long? ttftMicroseconds)
    {
        Interlocked.Add(ref _bytes, response.SizeBytes);
        if (response.IsOk)
        {
            Interlocked.Increment(ref _ok);
            Latency.RecordMicroseconds(latencyMicroseconds);
            if (ttftMicroseconds is { } ttft)
            {
                Ttft.RecordMicroseconds(ttft);
            }
        }
        else
        {
            Interlocked.Increment(ref _fail);
            _failures.AddOrUpdate(response.FailureKey, 1, static (_, n) => n + 1);
            if (response.Reason != Response.ClientOverloaded)
            {
                FailLatency.RecordMicroseconds(latencyMicroseconds);
            }
        }
    }

    /// <summary>Counts successes whose time is recorded elsewhere (e.g. rows of a timed batch).</summary>
    internal void AddOkWithoutLatency(long count) => Interlocked.Add(ref _ok, Math.Max(0, count));

    internal void AddCustom(string metric, long microseconds) =>
        _custom.GetOrAdd(metric, static _ => new LatencyHistogram()).RecordMicroseconds(microseconds);
}
