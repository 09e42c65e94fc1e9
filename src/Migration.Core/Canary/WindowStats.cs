using Migration.Core.Exchange;
using Migration.Core.Statistics;
using Migration.Core.Storage;

namespace Migration.Core.Canary;

/// <summary>
/// Outcomes of one arm (canary or primary) over the evaluation window, merged over all instances and models:
/// the input of <see cref="CanaryPolicy.Evaluate"/>.
/// </summary>
public sealed record WindowStats
{
    /// <summary>No traffic.</summary>
    public static WindowStats Empty { get; } = new();

    /// <summary>Requests finished in the window.</summary>
    public long Requests { get; init; }

    /// <summary>Requests answered with 2xx and complete.</summary>
    public long Successes { get; init; }

    /// <summary>Errors: timeouts.</summary>
    public long ErrorsTimeout { get; init; }

    /// <summary>Errors: 429.</summary>
    public long ErrorsRateLimited { get; init; }

    /// <summary>Errors: 5xx.</summary>
    public long ErrorsServer { get; init; }

    /// <summary>Errors: 4xx other than 429.</summary>
    public long ErrorsClient { get; init; }

    /// <summary>Errors: connection failures.</summary>
    public long ErrorsConnection { get; init; }

    /// <summary>Errors of any other class.</summary>
    public long ErrorsOther { get; init; }

    /// <summary>Canary requests that failed before commit and were served by the primary (failures of the canary).</summary>
    public long Fallbacks { get; init; }

    /// <summary>p99 of whole-request latency in milliseconds; 0 without data.</summary>
    public double P99Milliseconds { get; init; }

    /// <summary>Classified errors, fallbacks excluded.</summary>
    public long Errors => ErrorsTimeout + ErrorsRateLimited + ErrorsServer + ErrorsClient + ErrorsConnection + ErrorsOther;

    /// <summary>
    /// Failed requests: the larger of <c>Requests - Successes</c> and <c>Errors + Fallbacks</c> (so a fallback
    /// counts as a failure whether or not the recorder also counted it as a success), at most <see cref="Requests"/>.
    /// </summary>
    public long Failures => Math.Clamp(Math.Max(Requests - Successes, Errors + Fallbacks), 0, Math.Max(Requests, 0));

    /// <summary><see cref="Failures"/> / <see cref="Requests"/>; 0 without requests.</summary>
    public double ErrorRate => Requests <= 0 ? 0 : (double)Failures / Requests;

    /// <summary><see cref="Successes"/> / <see cref="Requests"/> (at most 1); 0 without requests.</summary>
    public double SuccessRate => Requests <= 0 ? 0 : (double)Math.Clamp(Successes, 0, Requests) / Requests;

    /// <summary>Merges traffic buckets (all given buckets: filter arm and time first, or use the other overloads).</summary>
    public static WindowStats FromBuckets(IEnumerable<TrafficBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var latency = new LatencyHistogram();
        long requests = 0, successes = 0, timeout = 0, rateLimited = 0, server = 0, client = 0, connection = 0, other = 0, fallbacks = 0;
        foreach (var b in buckets)
        {
            requests += b.Requests;
            successes += b.Successes;
            timeout += b.ErrorsTimeout;
            rateLimited += b.ErrorsRateLimited;
            server += b.ErrorsServer;
            client += b.ErrorsClient;
            connection += b.ErrorsConnection;
            other += b.ErrorsOther;
            fallbacks += b.Fallbacks;
            latency.Merge(b.Latency);
        }

        return new WindowStats
        {
            Requests = requests,
            Successes = successes,
            ErrorsTimeout = timeout,
            ErrorsRateLimited = rateLimited,
            ErrorsServer = server,
            ErrorsClient = client,
            ErrorsConnection = connection,
            ErrorsOther = other,
            Fallbacks = fallbacks,
            P99Milliseconds = latency.PercentileMilliseconds(99),
        };
    }

    /// <summary>Merges the buckets of one arm.</summary>
    public static WindowStats FromBuckets(IEnumerable<TrafficBucket> buckets, TrafficArm arm)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return FromBuckets(buckets.Where(b => b.Arm == arm));
    }

    /// <summary>Merges the buckets of one arm whose second lies in [<paramref name="from"/>, <paramref name="until"/>).</summary>
    public static WindowStats FromBuckets(IEnumerable<TrafficBucket> buckets, TrafficArm arm, DateTimeOffset from, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return FromBuckets(buckets.Where(b => b.Arm == arm && b.Second >= from && b.Second < until));
    }
}
