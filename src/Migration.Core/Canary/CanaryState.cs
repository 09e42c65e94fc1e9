namespace Migration.Core.Canary;

/// <summary>
/// The canary's state: what <see cref="CanaryPolicy"/> reads and returns. Immutable; every change made by the
/// policy returns a new state with <see cref="Version"/> + 1 (the store uses it for optimistic concurrency).
/// </summary>
public sealed record CanaryState
{
    /// <summary>The phase.</summary>
    public CanaryPhase Phase { get; init; }

    /// <summary>
    /// Index into the configured steps of the greatest step at or below <see cref="Weight"/>; -1 when the weight is
    /// below the first step or nothing started. Kept in <see cref="CanaryPhase.Paused"/> (the step paused at),
    /// <see cref="CanaryPhase.RolledBack"/> (the step rolled back from, for the record) and
    /// <see cref="CanaryPhase.Promoted"/> (the last step). Informational: the next step is found from the weight.
    /// </summary>
    public int StepIndex { get; init; } = -1;

    /// <summary>Percent of live traffic the candidate serves, 0..100.</summary>
    public double Weight { get; init; }

    /// <summary>The phase a <see cref="CanaryPhase.Paused"/> state was paused from; null otherwise.</summary>
    public CanaryPhase? PausedFrom { get; init; }

    /// <summary>When the current weight started to be held (the step hold is measured from here); null at weight 0.</summary>
    public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>When this state was produced; null for <see cref="Initial"/>.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Incremented by every change.</summary>
    public long Version { get; init; }

    /// <summary>Why the last change happened.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The state before anything happened: idle, weight 0, version 0.</summary>
    public static CanaryState Initial { get; } = new() { Phase = CanaryPhase.Idle, Reason = "not started" };

    /// <summary>The storage form (<c>canary_state</c> row) of this state.</summary>
    public CanaryStateSnapshot ToSnapshot() => new()
    {
        State = Phase.ToName(),
        StepIndex = StepIndex,
        Weight = Weight,
        PausedFrom = PausedFrom?.ToName(),
        StepStartedAt = StepStartedAt,
        UpdatedAt = UpdatedAt,
        Version = Version,
        Reason = Reason,
    };

    /// <summary>Reads the storage form.</summary>
    /// <exception cref="FormatException">Unknown state name, weight outside 0..100 or a ramping/paused state without a step start.</exception>
    public static CanaryState FromSnapshot(CanaryStateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!CanaryPhaseNames.TryParse(snapshot.State, out var phase))
        {
            throw new FormatException($"Unknown canary state '{snapshot.State}'.");
        }

        CanaryPhase? pausedFrom = null;
        if (snapshot.PausedFrom is not null)
        {
            if (!CanaryPhaseNames.TryParse(snapshot.PausedFrom, out var from))
            {
                throw new FormatException($"Unknown canary paused-from state '{snapshot.PausedFrom}'.");
            }

            pausedFrom = from;
        }

        if (double.IsNaN(snapshot.Weight) || snapshot.Weight < 0 || snapshot.Weight > 100)
        {
            throw new FormatException($"Canary weight {snapshot.Weight} is outside 0..100.");
        }

        if (phase is CanaryPhase.Ramping or CanaryPhase.Paused && snapshot.StepStartedAt is null)
        {
            throw new FormatException($"Canary state '{snapshot.State}' needs a step start time.");
        }

        return new CanaryState
        {
            Phase = phase,
            StepIndex = snapshot.StepIndex,
            Weight = snapshot.Weight,
            PausedFrom = phase == CanaryPhase.Paused ? pausedFrom ?? CanaryPhase.Ramping : null,
            StepStartedAt = snapshot.StepStartedAt,
            UpdatedAt = snapshot.UpdatedAt,
            Version = snapshot.Version,
            Reason = snapshot.Reason ?? string.Empty,
        };
    }
}
