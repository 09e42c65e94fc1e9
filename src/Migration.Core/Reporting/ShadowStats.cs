namespace Migration.Core.Reporting;

/// <summary>Latency percentiles in milliseconds; null when there is no data.</summary>
public sealed record Percentiles(double? P50, double? P95, double? P99)
{
    /// <summary>No data.</summary>
    public static Percentiles Empty { get; } = new(null, null, null);
}

/// <summary>Counts per verdict.</summary>
public sealed record VerdictCounts(long Exact, long Equivalent, long Similar, long Different, long Error)
{
    /// <summary>All zero.</summary>
    public static VerdictCounts Empty { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>Figures of one side (primary or candidate) over the shadow rows.</summary>
/// <param name="Requests">Rows counted for this side.</param>
/// <param name="SuccessRate">Share of 2xx answers that parsed, 0..1; null when no rows.</param>
/// <param name="LatencyMs">Whole-answer latency percentiles.</param>
/// <param name="TtftMs">Time-to-first-token percentiles: to the first content of a stream (a role-only chunk does not count).</param>
/// <param name="CostUsd">Sum of the side's costs.</param>
/// <param name="TokensIn">Sum of prompt tokens.</param>
/// <param name="TokensOut">Sum of completion tokens.</param>
/// <param name="Successes">Successful answers (the latency and TTFT percentiles are over these only); null when not counted.</param>
/// <param name="ErrorLatencyMs">Latency percentiles of the failed answers, their own figure; null when not measured.</param>
/// <param name="FirstByteMs">Time-to-first-byte percentiles over the successes (headers and a role-only chunk count), their own figure; null when not measured.</param>
public sealed record ArmStats(
    long Requests,
    double? SuccessRate,
    Percentiles LatencyMs,
    Percentiles TtftMs,
    decimal CostUsd,
    long TokensIn,
    long TokensOut,
    long? Successes = null,
    Percentiles? ErrorLatencyMs = null,
    Percentiles? FirstByteMs = null)
{
    /// <summary>No data.</summary>
    public static ArmStats Empty { get; } = new(0, null, Percentiles.Empty, Percentiles.Empty, 0m, 0, 0);
}

/// <summary>Shadow figures of one model.</summary>
/// <param name="Agreement">Candidate-vs-primary beside primary-vs-primary for this model; null when not queried.</param>
public sealed record ModelStats(
    string Model,
    string CandidateModel,
    long Total,
    long Compared,
    double? MatchRate,
    VerdictCounts Verdicts,
    ArmStats Primary,
    ArmStats Candidate,
    AgreementStats? Agreement = null);

/// <summary>
/// Raw shadow figures computed by the storage (in SQL) over <c>shadow_results</c> and <c>traffic_buckets</c>.
/// </summary>
/// <param name="Total">Shadow rows (mirrored and recorded exchanges).</param>
/// <param name="Compared">Rows where both sides answered and a content verdict was reached (verdict != error).</param>
/// <param name="Dropped">Sampled exchanges never mirrored (queue full, candidate paused), from traffic buckets.</param>
/// <param name="Primary">Primary side.</param>
/// <param name="Candidate">Candidate side.</param>
/// <param name="LatencyDiffMs">Median over rows of (candidate latency - primary latency), ms; null without compared rows.</param>
/// <param name="MatchRate">(exact + equivalent + similar) / compared; null when nothing was compared.</param>
/// <param name="Verdicts">Rows per verdict.</param>
/// <param name="ByModel">The same per primary model, ordered by total descending.</param>
/// <param name="FirstAt">Time of the oldest row counted.</param>
/// <param name="LastAt">Time of the newest row counted.</param>
/// <param name="Agreement">Candidate-vs-primary beside primary-vs-primary (noise floor); null when not queried.</param>
/// <param name="Cost">Cost over exchanges priced on both sides, with the excluded ones counted; null when not queried.</param>
public sealed record ShadowStats(
    long Total,
    long Compared,
    long Dropped,
    ArmStats Primary,
    ArmStats Candidate,
    double? LatencyDiffMs,
    double? MatchRate,
    VerdictCounts Verdicts,
    IReadOnlyList<ModelStats> ByModel,
    DateTimeOffset? FirstAt,
    DateTimeOffset? LastAt,
    AgreementStats? Agreement = null,
    CostStats? Cost = null);
