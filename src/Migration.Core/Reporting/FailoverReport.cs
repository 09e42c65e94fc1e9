namespace Migration.Core.Reporting;

/// <summary>Whether primary-arm traffic was failed over to the candidate, as last recorded.</summary>
/// <param name="Active">True when the last recorded route is the candidate.</param>
/// <param name="Since">When the route last switched (either way); null when no switch was ever recorded.</param>
/// <param name="Reason">The reason of that switch; null when none was recorded.</param>
public sealed record FailoverReport(bool Active, DateTimeOffset? Since, string? Reason);
