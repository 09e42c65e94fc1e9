using Migration.Core.Reporting;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>Returns fixed stats and remembers the last filter.</summary>
internal sealed class FakeReportQueries : IReportQueries
{
    public ReportFilter? LastFilter { get; private set; }

    public ShadowStats Stats { get; set; } = new(
        0, 0, 0, ArmStats.Empty, ArmStats.Empty, null, null, VerdictCounts.Empty, [], null, null);

    public Task<ShadowStats> GetShadowStatsAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        LastFilter = filter;
        return Task.FromResult(Stats);
    }
}
