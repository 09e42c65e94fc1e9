namespace Migration.Postgres.Entities;

/// <summary>One row of <c>canary_state</c>: the current state of one migration (key <see cref="DefaultMigration"/>).</summary>
public sealed class CanaryStateRow
{
    /// <summary>Row key of the single default migration.</summary>
    public const string DefaultMigration = "default";

    public string Migration { get; set; } = DefaultMigration;
    public string State { get; set; } = "";
    public int StepIndex { get; set; }
    public double Weight { get; set; }
    public bool Paused { get; set; }

    /// <summary>Optimistic concurrency token: every update sets it to the old value + 1.</summary>
    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? StepStartedAt { get; set; }

    /// <summary>Shadow switch set at run time; null = use configuration.</summary>
    public bool? ShadowEnabled { get; set; }

    /// <summary>Shadow sample rate set at run time; null = use configuration.</summary>
    public double? ShadowSampleRate { get; set; }

    public string? LeaderInstance { get; set; }
    public DateTimeOffset? LeaderHeartbeatAt { get; set; }
    public string? LastDecision { get; set; }
}
