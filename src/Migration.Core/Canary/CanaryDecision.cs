namespace Migration.Core.Canary;

/// <summary>The outcome of <see cref="CanaryPolicy.Evaluate"/> or <see cref="CanaryPolicy.Apply"/>.</summary>
public sealed record CanaryDecision
{
    /// <summary>The state the decision started from.</summary>
    public required CanaryState Previous { get; init; }

    /// <summary>The state to store (the same instance as <see cref="Previous"/> when nothing changed).</summary>
    public required CanaryState Next { get; init; }

    /// <summary>What happened.</summary>
    public required CanaryDecisionKind Kind { get; init; }

    /// <summary>Why, with the numbers and thresholds involved.</summary>
    public required string Reason { get; init; }

    /// <summary>The numbers that caused an evaluation's outcome; null for commands.</summary>
    public CanaryMetrics? Metrics { get; init; }

    /// <summary>True when <see cref="Next"/> differs from <see cref="Previous"/> (store it, write an event, notify).</summary>
    public bool Changed => !ReferenceEquals(Previous, Next);

    /// <summary>The weight to route after this decision, 0..100.</summary>
    public double Weight => Next.Weight;
}
