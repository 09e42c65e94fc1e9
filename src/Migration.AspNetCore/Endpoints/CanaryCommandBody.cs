namespace Migration.AspNetCore.Endpoints;

/// <summary>Body of <c>POST {prefix}/canary/{command}</c>: a reason (required for rollback) and a weight (set-weight).</summary>
internal sealed record CanaryCommandBody(string? Reason, double? Weight);
