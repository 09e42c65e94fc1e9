namespace Migration.Core.Reporting;

/// <summary>
/// The migration report served by <c>GET /migration/report</c> and printed by <c>migrationctl report</c>
/// (one implementation: <see cref="ReportBuilder"/>). Serialised with camelCase names (<see cref="ReportJson"/>).
/// </summary>
/// <param name="Canary">The canary section; null when the builder has no canary store.</param>
/// <param name="Providers">
/// Provider health and failover as last recorded in the health events (not the live state: that is on
/// <c>GET /migration/status</c>); null when the builder has no canary store (the events live in it).
/// </param>
/// <param name="Fallbacks">The fallback model chains on the candidate (stored attempts); null when there were none.</param>
public sealed record MigrationReport(
    DateTimeOffset GeneratedAt,
    ReportFilter Filter,
    ShadowReport Shadow,
    CostReport Cost,
    CanaryReport? Canary = null,
    ProvidersReport? Providers = null,
    FallbackReport? Fallbacks = null);

/// <summary>Shadow section: the stats plus the recommendation and the numbers behind it.</summary>
/// <param name="Recommendation"><c>READY</c>, <c>NEEDS_TUNING</c> or <c>INSUFFICIENT_DATA</c>.</param>
/// <param name="Reasons">One line per rule, naming the measured number and the threshold.</param>
public sealed record ShadowReport(
    long Total,
    long Compared,
    long Dropped,
    ArmStats Primary,
    ArmStats Candidate,
    double? LatencyDiffMs,
    double? MatchRate,
    VerdictCounts Verdicts,
    IReadOnlyList<ModelStats> ByModel,
    string Recommendation,
    IReadOnlyList<string> Reasons,
    DateTimeOffset? FirstAt,
    DateTimeOffset? LastAt);

/// <summary>Cost over the shadow rows: what the same requests cost on each side.</summary>
/// <param name="SavingsPercent">(primary - candidate) / primary * 100; null when the primary cost is 0.</param>
public sealed record CostReport(decimal PrimaryUsd, decimal CandidateUsd, double? SavingsPercent);
