namespace Migration.AspNetCore.Telemetry;

/// <summary>Shadow counters of this instance since it started.</summary>
internal readonly record struct ShadowCounts(
    long Enqueued, long Compared, long DroppedQueueFull, long DroppedPaused, long SkippedTooLarge, long DroppedWorkerError = 0, long DroppedStopped = 0, long DroppedSinkRefused = 0)
{
    /// <summary>Every drop of this instance's shadow, whatever the reason.</summary>
    public long DroppedTotal => DroppedQueueFull + DroppedPaused + SkippedTooLarge + DroppedWorkerError + DroppedStopped + DroppedSinkRefused;
}
