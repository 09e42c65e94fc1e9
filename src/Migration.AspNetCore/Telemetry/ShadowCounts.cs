namespace Migration.AspNetCore.Telemetry;

/// <summary>Shadow counters of this instance since it started.</summary>
internal readonly record struct ShadowCounts(long Enqueued, long Compared, long DroppedQueueFull, long DroppedPaused, long SkippedTooLarge);
