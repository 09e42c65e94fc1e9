using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Traffic;

/// <summary>
/// Counters of one second x arm x model. Writers announce themselves (<see cref="TryEnter"/>) so the flusher can
/// seal the accumulator and wait for writers in flight before reading it: no lock on the hot path, no lost count.
/// </summary>
internal sealed class TrafficAccumulator
{
    private int _writers;
    private int _sealed;
    private long _requests;
    private long _successes;
    private long _timeouts;
    private long _rateLimited;
    private long _server;
    private long _client;
    private long _connection;
    private long _fallbacks;
    private long _other;
    private long _shadowSampled;
    private long _shadowDropped;

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram Ttft { get; } = new();

    /// <summary>Registers a writer; false when the accumulator is sealed (the caller takes a fresh one).</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _writers);
        if (Volatile.Read(ref _sealed) != 0)
        {
            Interlocked.Decrement(ref _writers);
            return false;
        }

        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _writers);

    public void AddRequest(ErrorClass error, TimeSpan latency, TimeSpan? ttft)
    {
        Interlocked.Increment(ref _requests);
        switch (error)
        {
            case ErrorClass.None:
                Interlocked.Increment(ref _successes);
                break;
            case ErrorClass.Timeout:
                Interlocked.Increment(ref _timeouts);
                break;
            case ErrorClass.RateLimited:
                Interlocked.Increment(ref _rateLimited);
                break;
            case ErrorClass.ServerError:
                Interlocked.Increment(ref _server);
                break;
            case ErrorClass.ClientError:
                Interlocked.Increment(ref _client);
                break;
            case ErrorClass.Connection:
                Interlocked.Increment(ref _connection);
                break;
            case ErrorClass.Fallback:
                Interlocked.Increment(ref _fallbacks);
                break;
            default:
                Interlocked.Increment(ref _other);
                break;
        }

        Latency.Record(latency);
        if (ttft is { } firstByte)
        {
            Ttft.Record(firstByte);
        }
    }

    public void AddShadowSampled() => Interlocked.Increment(ref _shadowSampled);

    public void AddShadowDropped() => Interlocked.Increment(ref _shadowDropped);

    /// <summary>Seals the accumulator and waits (briefly: writers hold it for a few instructions) for writers in flight.</summary>
    public void Seal()
    {
        // Interlocked.Exchange is a full fence, so a writer that entered after it sees the seal and backs off.
        Interlocked.Exchange(ref _sealed, 1);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _writers) != 0)
        {
            spinner.SpinOnce();
        }
    }

    public TrafficBucket ToBucket(DateTimeOffset second, string instance, TrafficArm arm, string model) => new()
    {
        Second = second,
        Instance = instance,
        Arm = arm,
        Model = model,
        Requests = Interlocked.Read(ref _requests),
        Successes = Interlocked.Read(ref _successes),
        ErrorsTimeout = Interlocked.Read(ref _timeouts),
        ErrorsRateLimited = Interlocked.Read(ref _rateLimited),
        ErrorsServer = Interlocked.Read(ref _server),
        ErrorsClient = Interlocked.Read(ref _client),
        ErrorsConnection = Interlocked.Read(ref _connection),
        Fallbacks = Interlocked.Read(ref _fallbacks),
        ErrorsOther = Interlocked.Read(ref _other),
        ShadowSampled = Interlocked.Read(ref _shadowSampled),
        ShadowDropped = Interlocked.Read(ref _shadowDropped),
        Latency = Latency,
        Ttft = Ttft,
    };
}
