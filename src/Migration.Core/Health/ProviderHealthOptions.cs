namespace Migration.Core.Health;

/// <summary>Thresholds of <see cref="ProviderHealthTracker"/> (hysteresis: entering and leaving a status use different rules).</summary>
public sealed record ProviderHealthOptions
{
    /// <summary>Consecutive probe failures that make a provider Unhealthy (live calls never count here). Default 3.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>Consecutive successes that make an Unhealthy or Degraded provider Healthy again. Default 2.</summary>
    public int RecoveryThreshold { get; init; } = 2;

    /// <summary>How far back the success rate (probes and live calls) looks. Default 5 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most samples kept in the window (live traffic can be dense). Default 1000.</summary>
    public int MaxWindowSamples { get; init; } = 1000;

    /// <summary>Samples needed before the success-rate rules apply. Default 20.</summary>
    public int MinSamples { get; init; } = 20;

    /// <summary>A success rate below this (with <see cref="MinSamples"/>) makes the provider Degraded. Default 0.9.</summary>
    public double DegradedSuccessRate { get; init; } = 0.9;

    /// <summary>A success rate below this (with <see cref="MinSamples"/>) makes the provider Unhealthy. Default 0.5.</summary>
    public double UnhealthySuccessRate { get; init; } = 0.5;

    /// <summary>A moving-average latency above this makes the provider Degraded; null = latency never degrades. Default null.</summary>
    public TimeSpan? DegradedLatency { get; init; }

    /// <summary>Weight of the newest sample in the latency moving average (0..1]. Default 0.3.</summary>
    public double LatencySmoothing { get; init; } = 0.3;

    /// <summary>Every problem with these options, each naming its property; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FailureThreshold < 1)
        {
            errors.Add($"{nameof(FailureThreshold)} must be at least 1 (was {FailureThreshold}).");
        }

        if (RecoveryThreshold < 1)
        {
            errors.Add($"{nameof(RecoveryThreshold)} must be at least 1 (was {RecoveryThreshold}).");
        }

        if (Window <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(Window)} must be positive (was {Window}).");
        }

        if (MaxWindowSamples < 1)
        {
            errors.Add($"{nameof(MaxWindowSamples)} must be at least 1 (was {MaxWindowSamples}).");
        }

        if (MinSamples < 1)
        {
            errors.Add($"{nameof(MinSamples)} must be at least 1 (was {MinSamples}).");
        }

        if (!(UnhealthySuccessRate is >= 0 and <= 1))
        {
            errors.Add($"{nameof(UnhealthySuccessRate)} must be within 0..1 (was {UnhealthySuccessRate}).");
        }

        if (!(DegradedSuccessRate is >= 0 and <= 1) || DegradedSuccessRate < UnhealthySuccessRate)
        {
            errors.Add($"{nameof(DegradedSuccessRate)} must be within {nameof(UnhealthySuccessRate)}..1 (was {DegradedSuccessRate}).");
        }

        if (DegradedLatency is { } latency && latency <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(DegradedLatency)} must be positive when set (was {latency}).");
        }

        if (!(LatencySmoothing is > 0 and <= 1))
        {
            errors.Add($"{nameof(LatencySmoothing)} must be within (0, 1] (was {LatencySmoothing}).");
        }

        return errors;
    }
}
