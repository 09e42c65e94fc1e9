namespace Migration.Core.Health;

/// <summary>A provider's health at one moment: the status and the numbers behind it.</summary>
public sealed record ProviderHealthSnapshot
{
    /// <summary>The provider's display name.</summary>
    public required string Name { get; init; }

    /// <summary>The current status.</summary>
    public required ProviderStatus Status { get; init; }

    /// <summary>When the provider entered <see cref="Status"/>.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Failures in a row (0 after any success).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Successes in a row (0 after any failure).</summary>
    public int ConsecutiveSuccesses { get; init; }

    /// <summary>Samples in the window.</summary>
    public int Samples { get; init; }

    /// <summary>Success rate over the window, 0..1; null without samples.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>Moving average latency of successful calls; null before the first success.</summary>
    public TimeSpan? AverageLatency { get; init; }

    /// <summary>Time to first token of the last streaming probe; null when none ran.</summary>
    public TimeSpan? LastTimeToFirstToken { get; init; }

    /// <summary>When the last signal arrived; null before any.</summary>
    public DateTimeOffset? LastSignalAt { get; init; }

    /// <summary>The last failure's description; null before any.</summary>
    public string? LastError { get; init; }

    /// <summary>How long the provider has been in <see cref="Status"/> at <paramref name="now"/>.</summary>
    public TimeSpan TimeInStatus(DateTimeOffset now) => now - Since;
}
