namespace Migration.AspNetCore.Telemetry;

/// <summary>Values of the <c>reason</c> tag of <c>migration.shadow.dropped</c>.</summary>
internal static class ShadowDropReason
{
    /// <summary>The shadow queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The candidate asked us to back off (429 Retry-After).</summary>
    public const string Paused = "paused";

    /// <summary>The request or the answer was larger than the capture limit, or could not be copied.</summary>
    public const string TooLarge = "too_large";
}
