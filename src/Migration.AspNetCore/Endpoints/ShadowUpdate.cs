namespace Migration.AspNetCore.Endpoints;

/// <summary>Body of <c>PUT/POST {prefix}/shadow</c>; a missing field keeps its current value; the reason goes into the audit event.</summary>
internal sealed record ShadowUpdate(bool? Enabled, double? SampleRate, string? Reason = null);
