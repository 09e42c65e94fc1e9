using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.Core.Reporting;

/// <summary>Builds the <see cref="MigrationReport"/> from storage figures and the readiness rules.</summary>
public sealed class ReportBuilder
{
    /// <summary>How many recent canary events the report carries.</summary>
    public const int ReportEvents = 50;

    /// <summary>At most this many health events of the report's window are read (for the providers section's counts).</summary>
    public const int ReportHealthEvents = 5000;

    /// <summary>Health events read before the window when the window holds none (for the last recorded state).</summary>
    private const int LatestHealthEvents = 20;

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
        var fallbacks = await _queries.GetFallbackReportAsync(filter, cancellationToken).ConfigureAwait(false);
        var report = Build(filter, stats) with { Fallbacks = fallbacks is { Requests: > 0 } ? fallbacks : null };
        if (_canary is null)
        {
            return report;
        }

        var state = await _canary.GetAsync(_migration, cancellationToken).ConfigureAwait(false);
        var events = await _canary.GetEventsAsync(_migration, ReportEvents, cancellationToken).ConfigureAwait(false);
        var providers = await BuildProvidersAsync(filter, cancellationToken).ConfigureAwait(false);
        return report with { Canary = CanaryReport.From(state, events, _steps), Providers = providers };
    }

    /// <summary>
    /// The providers section from the stored health events: those of the window (for the counts) or, when the window
    /// has none, the newest before it (the last recorded state holds until the next event).
    /// </summary>
    private async Task<ProvidersReport> BuildProvidersAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        var store = _canary!;
        var window = await store.GetActorEventsAsync(_migration, HealthEventMetrics.Actor, filter.Since, ReportHealthEvents, cancellationToken).ConfigureAwait(false);
        var truncated = window.Count >= ReportHealthEvents;
        if (window.Count == 0 && filter.Since is not null)
        {
            var before = await store.GetActorEventsAsync(_migration, HealthEventMetrics.Actor, null, LatestHealthEvents, cancellationToken).ConfigureAwait(false);
            return ProvidersReport.From(before, filter.Since, truncated);
        }

        return ProvidersReport.From(window, filter.Since, truncated);
    }

    /// <summary>Builds the report from figures already queried.</summary>
    public MigrationReport Build(ReportFilter filter, ShadowStats stats)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(stats);
        var (recommendation, rules) = ReadinessEvaluator.EvaluateRules(stats, _readiness);
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
            [.. rules.Select(r => r.Reason)],
            stats.FirstAt,
            stats.LastAt,
            rules,
            stats.Agreement);
        return new MigrationReport(_time.GetUtcNow(), filter, shadow, Cost(stats));
    }

    /// <summary>
    /// Savings over the exchanges priced on both sides (failed and unpriced ones are counted, not taken as $0), and
    /// the savings per such exchange projected over 30 days of the observed live traffic.
    /// </summary>
    private static CostReport Cost(ShadowStats stats)
    {
        var primaryUsd = stats.Primary.CostUsd;
        var candidateUsd = stats.Candidate.CostUsd;
        if (stats.Cost is not { } priced)
        {
            double? plain = primaryUsd == 0 ? null : (double)((primaryUsd - candidateUsd) / primaryUsd * 100m);
            return new CostReport(primaryUsd, candidateUsd, plain);
        }

        double? savings = priced.PrimaryUsd == 0 ? null : (double)((priced.PrimaryUsd - priced.CandidateUsd) / priced.PrimaryUsd * 100m);
        decimal? monthly = null;
        if (priced.Compared > 0 && priced.ObservedSeconds > 0 && priced.ObservedRequests > 0)
        {
            var perExchange = (priced.PrimaryUsd - priced.CandidateUsd) / priced.Compared;
            var perMonth = priced.ObservedRequests / (decimal)priced.ObservedSeconds * 30m * 24m * 3600m;
            monthly = decimal.Round(perExchange * perMonth, 2);
        }

        return new CostReport(primaryUsd, candidateUsd, savings, priced, monthly);
    }
}
