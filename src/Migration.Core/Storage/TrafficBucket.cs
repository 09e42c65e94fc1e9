using Migration.Core.Exchange;
using Migration.Core.Statistics;

namespace Migration.Core.Storage;

/// <summary>
/// Outcomes of one second of traffic on one instance, for one arm and model: one row of
/// <c>traffic_buckets</c>. The canary controller merges buckets of all instances.
/// </summary>
public sealed record TrafficBucket
{
    /// <summary>Start of the second (UTC, whole seconds).</summary>
    public required DateTimeOffset Second { get; init; }

    /// <summary>Instance that observed the traffic.</summary>
    public required string Instance { get; init; }

    /// <summary>Arm that served the requests.</summary>
    public required TrafficArm Arm { get; init; }

    /// <summary>Model the client asked for.</summary>
    public required string Model { get; init; }

    /// <summary>Requests finished in this second.</summary>
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

    /// <summary>Canary requests that fell back to the primary.</summary>
    public long Fallbacks { get; init; }

    /// <summary>Errors of any other class (truncated stream, malformed answer, other).</summary>
    public long ErrorsOther { get; init; }

    /// <summary>Exchanges chosen for shadowing in this second (primary arm only).</summary>
    public long ShadowSampled { get; init; }

    /// <summary>Sampled exchanges dropped because the shadow queue was full or shadow was paused.</summary>
    public long ShadowDropped { get; init; }

    /// <summary>Whole-request latency.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Time to first byte of the answer.</summary>
    public required LatencyHistogram Ttft { get; init; }
}
