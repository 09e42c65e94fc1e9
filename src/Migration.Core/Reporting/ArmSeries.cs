namespace Migration.Core.Reporting;

/// <summary>
/// One arm's series, one value per slot of <see cref="TimeSeries.Time"/>. Rates and percentiles are null in slots
/// without requests (gaps, not zeros); latency percentiles come from the merged histograms of all instances.
/// </summary>
/// <param name="RequestsPerSecond">Requests finished per second of the slot.</param>
/// <param name="Requests">Requests finished in the slot.</param>
/// <param name="Failures">Failed requests (as the canary controller counts them: errors and fallbacks).</param>
/// <param name="ErrorRate">Failures / requests.</param>
/// <param name="ErrorsByClass">Errors per class (timeout, rate_limited, server_error, client_error, connection, other, fallback); classes without any error in the window are left out.</param>
/// <param name="LatencyP50Ms">Whole-request latency p50 in ms.</param>
/// <param name="LatencyP95Ms">p95 in ms.</param>
/// <param name="LatencyP99Ms">p99 in ms.</param>
/// <param name="TtftP50Ms">Time to first byte p50 in ms.</param>
/// <param name="TtftP95Ms">p95 in ms.</param>
/// <param name="TtftP99Ms">p99 in ms.</param>
/// <param name="ShadowDropped">Sampled exchanges dropped (queue full, paused); null when none in the window.</param>
/// <param name="Totals">The arm's sums over the window.</param>
public sealed record ArmSeries(
    IReadOnlyList<double> RequestsPerSecond,
    IReadOnlyList<long> Requests,
    IReadOnlyList<long> Failures,
    IReadOnlyList<double?> ErrorRate,
    IReadOnlyDictionary<string, IReadOnlyList<long>> ErrorsByClass,
    IReadOnlyList<double?> LatencyP50Ms,
    IReadOnlyList<double?> LatencyP95Ms,
    IReadOnlyList<double?> LatencyP99Ms,
    IReadOnlyList<double?> TtftP50Ms,
    IReadOnlyList<double?> TtftP95Ms,
    IReadOnlyList<double?> TtftP99Ms,
    IReadOnlyList<long>? ShadowDropped,
    ArmTotals Totals);

/// <summary>An arm's sums over the window; <see cref="Failures"/> and <see cref="ErrorRate"/> as the controller computes them over the sums.</summary>
public sealed record ArmTotals(
    long Requests,
    long Successes,
    long Failures,
    double? ErrorRate,
    IReadOnlyDictionary<string, long> ErrorsByClass,
    long ShadowSampled,
    long ShadowDropped,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms);
