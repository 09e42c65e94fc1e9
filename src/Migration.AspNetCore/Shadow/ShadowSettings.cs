namespace Migration.AspNetCore.Shadow;

/// <summary>Shadow mode at one moment: whether it is on and which share of requests is mirrored.</summary>
internal sealed record ShadowSettings(bool Enabled, double SampleRate);
