namespace Migration.AspNetCore.Endpoints;

/// <summary>Body of <c>PUT/POST {prefix}/shadow</c>; a missing field keeps its current value.</summary>
internal sealed record ShadowUpdate(bool? Enabled, double? SampleRate);
