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

    /// <summary>Mirroring failed inside the harness (an exception of the comparer, the result factory...): no row was recorded.</summary>
    public const string WorkerError = "worker_error";

    /// <summary>Mirrored and compared, but the record sink refused the result (its buffer full, or it had stopped): no row.</summary>
    public const string SinkRefused = "sink_refused";

    /// <summary>The application stopped: still queued after <c>Shadow:DrainTimeout</c>, in flight when cut off, or sampled after the queue closed.</summary>
    public const string Stopped = "stopped";

    /// <summary>What a drop of <paramref name="reason"/> means, for the one log line per reason.</summary>
    public static string Describe(string reason) => reason switch
    {
        QueueFull => "the shadow queue is full (Shadow:QueueCapacity); the workers or the candidate are too slow for the sampled load",
        Paused => "mirroring is paused after a candidate 429 (its Retry-After)",
        TooLarge => "a request or answer is larger than Shadow:MaxBodyBytes / Shadow:MaxResponseBytes",
        WorkerError => "mirroring failed inside the harness; the first failure is logged with its exception",
        SinkRefused => "the record sink refused the shadow result (its buffer is full: storage is too slow or down); see migration.recorder.dropped",
        Stopped => "the application is stopping and the queue did not drain within Shadow:DrainTimeout",
        _ => reason,
    };
}
