namespace Migration.Core.Reporting;

/// <summary>Which rows a report covers.</summary>
/// <param name="Since">Only rows at or after this time; null = all.</param>
/// <param name="Model">Only this (primary) model; null = all.</param>
public sealed record ReportFilter(DateTimeOffset? Since = null, string? Model = null);
