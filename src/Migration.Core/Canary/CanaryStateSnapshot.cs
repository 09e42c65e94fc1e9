namespace Migration.Core.Canary;

/// <summary>
/// The storage form of a <see cref="CanaryState"/>: one <c>canary_state</c> row. States are stored by their
/// lowercase names (<see cref="CanaryPhaseNames"/>: idle, shadow, ramping, paused, rolled_back, promoted).
/// </summary>
public sealed record CanaryStateSnapshot
{
    /// <summary>State name, see <see cref="CanaryPhaseNames"/>.</summary>
    public required string State { get; init; }

    /// <summary>Step index, -1 when none.</summary>
    public int StepIndex { get; init; } = -1;

    /// <summary>Weight in percent, 0..100.</summary>
    public double Weight { get; init; }

    /// <summary>For <c>paused</c>: the state it was paused from (<c>ramping</c>); null otherwise.</summary>
    public string? PausedFrom { get; init; }

    /// <summary>When the current weight started to be held.</summary>
    public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>When the state was last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Version, incremented by every change.</summary>
    public long Version { get; init; }

    /// <summary>Why the last change happened.</summary>
    public string Reason { get; init; } = string.Empty;
}
