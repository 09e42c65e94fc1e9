namespace Migration.Core.Reporting;

/// <summary>Report figures computed by the storage. Implemented by <c>Migration.Postgres</c>.</summary>
public interface IReportQueries
{
    /// <summary>Shadow figures for the filter.</summary>
    Task<ShadowStats> GetShadowStatsAsync(ReportFilter filter, CancellationToken cancellationToken);
}
