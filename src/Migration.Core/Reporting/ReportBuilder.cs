using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.Core.Reporting;

/// <summary>Builds the <see cref="MigrationReport"/> from storage figures and the readiness rules.</summary>
public sealed class ReportBuilder
{
    /// <summary>How many recent canary events the report carries.</summary>
    public const int ReportEvents = 50;

    private readonly IReportQueries _queries;
    private readonly ReadinessOptions _readiness;
    private readonly TimeProvider _time;
    private readonly ICanaryStateStore? _canary;
    private readonly string _migration;
    private readonly IReadOnlyList<double> _steps;

    /// <summary>Creates a builder without a canary section.</summary>
    public ReportBuilder(IReportQueries queries, ReadinessOptions readiness, TimeProvider time)
        : this(queries, readiness, time, null, ICanaryStateStore.DefaultMigration, null)
    {
    }

    /// <summary>Creates a builder whose reports carry the canary section of <paramref name="migration"/> read from <paramref name="canary"/>.</summary>
    /// <param name="queries">Shadow figures.</param>
    /// <param name="readiness">The readiness rules.</param>
    /// <param name="time">The clock.</param>
    /// <param name="canary">The canary store; null for no canary section.</param>
    /// <param name="migration">The migration key.</param>
    /// <param name="steps">The ramp's steps (for step numbers); null for the default steps.</param>
    public ReportBuilder(IReportQueries queries, ReadinessOptions readiness, TimeProvider time, ICanaryStateStore? canary, string migration, IReadOnlyList<double>? steps)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        _canary = canary;
        _migration = migration;
        _steps = steps ?? CanaryPolicyOptions.DefaultSteps;
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
        var report = Build(filter, stats);
        if (_canary is null)
        {
            return report;
        }

        var state = await _canary.GetAsync(_migration, cancellationToken).ConfigureAwait(false);
        var events = await _canary.GetEventsAsync(_migration, ReportEvents, cancellationToken).ConfigureAwait(false);
        return report with { Canary = CanaryReport.From(state, events, _steps) };
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
