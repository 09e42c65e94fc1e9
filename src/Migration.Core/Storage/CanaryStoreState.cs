using Migration.Core.Canary;

namespace Migration.Core.Storage;

/// <summary>One migration's stored canary row: the policy state plus run-time settings and the leader's heartbeat.</summary>
public sealed record CanaryStoreState
{
    /// <summary>The migration key.</summary>
    public required string Migration { get; init; }

    /// <summary>The state <see cref="CanaryPolicy"/> works on.</summary>
    public required CanaryState State { get; init; }

    /// <summary>Shadow switch set at run time; null = use configuration.</summary>
    public bool? ShadowEnabled { get; init; }

    /// <summary>Shadow sample rate set at run time, 0..1; null = use configuration.</summary>
    public double? ShadowSampleRate { get; init; }

    /// <summary>The instance whose controller leads (last heartbeat); null when none ever led.</summary>
    public string? LeaderInstance { get; init; }

    /// <summary>The leader's last heartbeat.</summary>
    public DateTimeOffset? LeaderHeartbeatAt { get; init; }

    /// <summary>The last decision stored (a change, or the controller's latest evaluation); null before any.</summary>
    public CanaryDecisionRecord? LastDecision { get; init; }
}

/// <summary>A stored decision: what was decided, by whom, why and on which numbers.</summary>
/// <param name="Time">When it was stored.</param>
/// <param name="Kind">The decision kind, lowercase snake case: <c>hold</c>, <c>advance</c>, <c>promote</c>, <c>rollback</c>, <c>command_applied</c>.</param>
/// <param name="Actor">Who decided: <c>controller</c>, <c>cli:&lt;user&gt;</c>, <c>api</c>...</param>
/// <param name="Reason">The decision's reason.</param>
/// <param name="State">The state name after the decision.</param>
/// <param name="Weight">The weight after the decision.</param>
/// <param name="Metrics">The numbers of an evaluation; null for commands.</param>
public sealed record CanaryDecisionRecord(
    DateTimeOffset Time,
    string Kind,
    string Actor,
    string Reason,
    string State,
    double Weight,
    CanaryMetrics? Metrics);

/// <summary>One <c>canary_events</c> row: an audited change.</summary>
/// <param name="Metrics">The numbers behind an automatic decision; null for commands and settings.</param>
public sealed record CanaryEventRecord(
    long Id,
    string Migration,
    DateTimeOffset Time,
    string FromState,
    string ToState,
    double FromWeight,
    double ToWeight,
    string Actor,
    string Reason,
    CanaryMetrics? Metrics);

/// <summary>What <see cref="ICanaryStateStore.ApplyAsync"/> did.</summary>
/// <param name="Decision">The decision <c>decide</c> returned (on the state it was given).</param>
/// <param name="State">The stored state after the call (unchanged for rejected decisions).</param>
/// <param name="EventId">The event row written; null when nothing changed.</param>
public sealed record CanaryCommandOutcome(CanaryDecision Decision, CanaryStoreState State, long? EventId)
{
    /// <summary>The decision was stored as a change (state, event, notification).</summary>
    public bool Changed => EventId is not null;

    /// <summary>The state forbade the command; nothing was written (API: 409, CLI: exit 1).</summary>
    public bool Rejected => Decision.Kind == CanaryDecisionKind.Rejected;
}

/// <summary>Age of the data the harness records.</summary>
/// <param name="NewestBucket">Second of the newest traffic bucket; null when none.</param>
/// <param name="NewestShadowResult">Time of the newest shadow result; null when none.</param>
public sealed record DataFreshness(DateTimeOffset? NewestBucket, DateTimeOffset? NewestShadowResult);
