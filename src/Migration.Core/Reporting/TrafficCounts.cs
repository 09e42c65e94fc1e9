using Migration.Core.Storage;

namespace Migration.Core.Reporting;

/// <summary>The counters of one stored traffic bucket (<see cref="TrafficBucket"/> without its histograms).</summary>
public readonly record struct TrafficCounts(
    long Requests,
    long Successes,
    long ErrorsTimeout,
    long ErrorsRateLimited,
    long ErrorsServer,
    long ErrorsClient,
    long ErrorsConnection,
    long ErrorsOther,
    long Fallbacks,
    long ShadowSampled,
    long ShadowDropped)
{
    /// <summary>The counters of <paramref name="bucket"/>.</summary>
    public static TrafficCounts Of(TrafficBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return new TrafficCounts(
            bucket.Requests, bucket.Successes, bucket.ErrorsTimeout, bucket.ErrorsRateLimited, bucket.ErrorsServer, bucket.ErrorsClient,
            bucket.ErrorsConnection, bucket.ErrorsOther, bucket.Fallbacks, bucket.ShadowSampled, bucket.ShadowDropped);
    }
}
