namespace Migration.Core.Canary;

/// <summary>
/// The numbers behind an evaluation: stored with the <c>canary_events</c> row (jsonb). Rates are 0..1 (0 without
/// requests), latencies in milliseconds; comparison figures are null when the comparison did not apply.
/// </summary>
public sealed record CanaryMetrics
{
    /// <summary>Canary requests in the window.</summary>
    public long CanaryRequests { get; init; }

    /// <summary>Canary successes.</summary>
    public long CanarySuccesses { get; init; }

    /// <summary>Canary failures (fallbacks included).</summary>
    public long CanaryFailures { get; init; }

    /// <summary>Canary fallbacks to the primary.</summary>
    public long CanaryFallbacks { get; init; }

    /// <summary>Canary error rate.</summary>
    public double CanaryErrorRate { get; init; }

    /// <summary>Canary success rate.</summary>
    public double CanarySuccessRate { get; init; }

    /// <summary>Canary p99 latency, ms.</summary>
    public double CanaryP99Ms { get; init; }

    /// <summary>Primary requests in the window.</summary>
    public long PrimaryRequests { get; init; }

    /// <summary>Primary error rate.</summary>
    public double PrimaryErrorRate { get; init; }

    /// <summary>Primary p99 latency, ms.</summary>
    public double PrimaryP99Ms { get; init; }

    /// <summary>z value of "canary error rate > primary error rate"; null when not compared.</summary>
    public double? ErrorRateZ { get; init; }

    /// <summary>Canary error rate - primary error rate; null when not compared.</summary>
    public double? ErrorRateDelta { get; init; }

    /// <summary>Canary p99 / primary p99; null when not compared.</summary>
    public double? P99Ratio { get; init; }

    /// <summary>Seconds the current weight has been held at evaluation time.</summary>
    public double HeldSeconds { get; init; }

    /// <summary>
    /// The rules that tripped, in a fixed order: <c>error_rate</c>, <c>success_rate</c>, <c>p99</c>,
    /// <c>error_rate_vs_primary</c>, <c>p99_vs_primary</c>. Empty when nothing tripped.
    /// </summary>
    public IReadOnlyList<string> Trips { get; init; } = [];
}
