namespace Migration.Core.Reporting;

/// <summary>Report figures computed by the storage. Implemented by <c>Migration.Postgres</c>.</summary>
public interface IReportQueries
{
    /// <summary>Shadow figures for the filter.</summary>
    Task<ShadowStats> GetShadowStatsAsync(ReportFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// The fallback-chain attempts for the filter (<see cref="ReportFilter.Model"/> is the requested model); null when
    /// there were none or the storage does not keep attempts (the default).
    /// </summary>
    Task<FallbackReport?> GetFallbackReportAsync(ReportFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult<FallbackReport?>(null);

    /// <summary>
    /// The traffic buckets of every instance in the query's window (and model) folded into per-slot series with a
    /// <see cref="TimeSeriesAccumulator"/>.
    /// </summary>
    Task<TrafficSeries> GetTrafficSeriesAsync(TimeSeriesQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not serve time series.");
}
