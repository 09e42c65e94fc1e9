using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Traffic;

/// <summary>
/// Four times a second (on the injected <see cref="TimeProvider"/>), hands each finished second of traffic to the
/// record sink, so a second reaches storage (and the canary controller) within ~0.5 s of its end rather than up to
/// 1.2 s (a tick with no finished second does nothing). What is left is flushed when the application stops, and
/// again when the record sink is about to stop (<see cref="CompleteAsync"/>, after the shadow queue drained).
/// </summary>
internal sealed partial class TrafficFlusher : BackgroundService, IRecordProducer
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly TrafficAggregator _aggregator;
    private readonly IRecordSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger<TrafficFlusher> _logger;
    private readonly IHostApplicationLifetime? _lifetime;

    public TrafficFlusher(TrafficAggregator aggregator, IRecordSink sink, TimeProvider time, ILogger<TrafficFlusher> logger, IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _aggregator = aggregator;
        _sink = sink;
        _time = time;
        _logger = logger;
        _lifetime = lifetime;
    }

    /// <summary>Hands finished seconds (all seconds when <paramref name="includeCurrent"/>) to the sink.</summary>
    public int Flush(bool includeCurrent = false)
    {
        var buckets = _aggregator.Collect(includeCurrent);
        var dropped = 0;
        foreach (var bucket in buckets)
        {
            if (!_sink.TryWrite(bucket))
            {
                dropped++;
            }
        }

        if (dropped > 0)
        {
            Log.BucketsDropped(_logger, dropped);
        }

        return buckets.Count;
    }

    /// <summary>Hands every second, the current one included, to the sink (it is about to stop).</summary>
    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        FlushSafely(includeCurrent: true);
        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        FlushSafely(includeCurrent: true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The sink's own hosted service may stop before us: flush once more when stopping is announced.
        using var stopping = _lifetime?.ApplicationStopping.Register(static state => ((TrafficFlusher)state!).FlushSafely(includeCurrent: true), this);
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                FlushSafely(includeCurrent: false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void FlushSafely(bool includeCurrent)
    {
        try
        {
            Flush(includeCurrent);
        }
        catch (Exception ex)
        {
            Log.FlushFailed(_logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, EventName = "TrafficBucketsDropped", Level = LogLevel.Warning,
            Message = "The record sink refused {Count} traffic buckets (its buffer is full).")]
        public static partial void BucketsDropped(ILogger logger, int count);

        [LoggerMessage(EventId = 1302, EventName = "TrafficFlushFailed", Level = LogLevel.Error,
            Message = "Flushing traffic buckets failed.")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}
