namespace Migration.Core.Reporting;

/// <summary>Builds the <see cref="MigrationReport"/> from storage figures and the readiness rules.</summary>
public sealed class ReportBuilder
{
    private readonly IReportQueries _queries;
    private readonly ReadinessOptions _readiness;
    private readonly TimeProvider _time;

    /// <summary>Creates a builder.</summary>
    public ReportBuilder(IReportQueries queries, ReadinessOptions readiness, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(time);
        _queries = queries;
        _readiness = readiness;
        _time = time;
    }

    /// <summary>Queries the storage and builds the report.</summary>
    public async Task<MigrationReport> BuildAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var stats = await _queries.GetShadowStatsAsync(filter, cancellationToken).ConfigureAwait(false);
        return Build(filter, stats);
    }

    /// <summary>Builds the report from figures already queried.</summary>
    public MigrationReport Build(ReportFilter filter, ShadowStats stats)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(stats);
        var (recommendation, reasons) = ReadinessEvaluator.Evaluate(stats, _readiness);
        var shadow = new ShadowReport(
            stats.Total,
            stats.Compared,
            stats.Dropped,
            stats.Primary,
            stats.Candidate,
            stats.LatencyDiffMs,
            stats.MatchRate,
            stats.Verdicts,
            stats.ByModel,
            ReadinessEvaluator.ToWireName(recommendation),
            reasons,
            stats.FirstAt,
            stats.LastAt);
        var primaryUsd = stats.Primary.CostUsd;
        var candidateUsd = stats.Candidate.CostUsd;
        double? savings = primaryUsd == 0 ? null : (double)((primaryUsd - candidateUsd) / primaryUsd * 100m);
        return new MigrationReport(_time.GetUtcNow(), filter, shadow, new CostReport(primaryUsd, candidateUsd, savings));
    }
}
