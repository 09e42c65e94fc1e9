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
/// <param name="Reasons">One line per rule, naming the measured number and the threshold, failing rules first.</param>
/// <param name="Rules">The same rules structured: name, outcome, measured figure, threshold, unit, reason, samples needed.</param>
/// <param name="Agreement">Candidate-vs-primary beside primary-vs-primary (the noise floor): samples, match shares, verdicts, score percentiles.</param>
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
    DateTimeOffset? LastAt,
    IReadOnlyList<RuleResult>? Rules = null,
    AgreementStats? Agreement = null);

/// <summary>Cost over the shadow rows: what the same requests cost on each side.</summary>
/// <param name="PrimaryUsd">Primary cost over all candidate rows (priced ones).</param>
/// <param name="CandidateUsd">Candidate cost over all candidate rows (priced ones, failed calls' billed usage included).</param>
/// <param name="SavingsPercent">
/// (primary - candidate) / primary * 100 over the exchanges priced on both sides with a successful candidate
/// (<see cref="Priced"/>); null when that primary cost is 0.
/// </param>
/// <param name="Priced">The compared exchanges and the excluded ones, counted (failed, unpriced, unknown); null when not queried.</param>
/// <param name="ProjectedMonthlySavingsUsd">Savings per priced exchange times the observed live traffic over 30 days; null when unknown.</param>
public sealed record CostReport(decimal PrimaryUsd, decimal CandidateUsd, double? SavingsPercent, CostStats? Priced = null, decimal? ProjectedMonthlySavingsUsd = null);
