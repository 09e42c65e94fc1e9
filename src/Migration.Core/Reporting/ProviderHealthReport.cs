namespace Migration.Core.Reporting;

/// <summary>One provider's last RECORDED health in the report (from the newest health event carrying its numbers).</summary>
/// <param name="Role"><c>primary</c> or <c>candidate</c>.</param>
/// <param name="Name">The provider's display name.</param>
/// <param name="Status"><c>unknown</c>, <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
/// <param name="Since">When the provider entered <paramref name="Status"/>; null when not recorded.</param>
/// <param name="RecordedAt">When the event holding these numbers was recorded.</param>
/// <param name="ConsecutiveFailures">Failures in a row at that time.</param>
/// <param name="SuccessRate">Success rate over the health window, 0..1; null without samples.</param>
/// <param name="AverageLatencyMs">Moving average latency of successful calls, ms; null before the first success.</param>
/// <param name="LastError">The last failure's description; null before any.</param>
public sealed record ProviderHealthReport(
    string Role,
    string Name,
    string Status,
    DateTimeOffset? Since,
    DateTimeOffset RecordedAt,
    int ConsecutiveFailures,
    double? SuccessRate,
    double? AverageLatencyMs,
    string? LastError);
