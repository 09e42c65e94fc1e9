using Migration.Core.Health;

namespace Migration.AspNetCore.Health;

/// <summary>
/// Provider health probes, automatic failover and health alerts (section <c>Migration:Health</c>), registered by
/// <c>services.AddMigrationHealth(migrationSection)</c>.
/// </summary>
public sealed class HealthOptions
{
    /// <summary>Whether providers are probed at all (passive signals and failover still need the monitor). Default true.</summary>
    public bool ProbesEnabled { get; set; } = true;

    /// <summary>
    /// Time between two probes of each provider (<c>GET {BaseUrl}/models</c>: no tokens billed). Default 1 s, so that
    /// with the defaults below a dead provider is detected within 5 s even when it hangs (2 probes x 2 s).
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deadline of one probe. Default 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Consecutive probe failures that make a provider Unhealthy. Default 2: one blip is not enough. Live calls never
    /// count here (at a high rate random errors come in a row all the time): they count in the window's success rate.
    /// </summary>
    public int FailureThreshold { get; set; } = 2;

    /// <summary>Consecutive successes that make it Healthy again. Default 2.</summary>
    public int RecoveryThreshold { get; set; } = 2;

    /// <summary>
    /// How far back the success rate looks (probes and live calls to the provider; at most 1,000 newest samples).
    /// Default 5 s: a full outage under live traffic drops the rate below <see cref="UnhealthySuccessRate"/> within
    /// about half of it.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Samples in the window needed before success-rate rules apply. Default 20.</summary>
    public int MinSamples { get; set; } = 20;

    /// <summary>Success rate below which a provider is Degraded. Default 0.9.</summary>
    public double DegradedSuccessRate { get; set; } = 0.9;

    /// <summary>Success rate below which a provider is Unhealthy. Default 0.5.</summary>
    public double UnhealthySuccessRate { get; set; } = 0.5;

    /// <summary>Moving-average latency above which a provider is Degraded; null = never by latency. Default null.</summary>
    public TimeSpan? DegradedLatency { get; set; }

    /// <summary>Deadline of the readiness check's <c>SELECT 1</c>. Default 2 s.</summary>
    public TimeSpan DatabaseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Automatic failover of primary-arm traffic to the candidate.</summary>
    public FailoverOptions Failover { get; set; } = new();

    /// <summary>The optional one-token streaming probe measuring time to first token (off by default).</summary>
    public StreamingProbeOptions StreamingProbe { get; set; } = new();

    /// <summary>Slack-compatible webhook (<c>{"text": ...}</c>) told about every failover and failback; null = none.</summary>
    public string? AlertWebhookUrl { get; set; }

    /// <summary>Attempts per alert (retried with a growing pause). Default 3.</summary>
    public int AlertAttempts { get; set; } = 3;

    /// <summary>
    /// The shortest time between two recorded Healthy/Degraded changes of one provider (one failed live request is
    /// enough for Degraded, so every flicker would otherwise be an event). Changes into or out of Unhealthy are always
    /// recorded at once. Default 30 s; 0 records every change.
    /// </summary>
    public TimeSpan StatusEventMinInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal ProviderHealthOptions ToTrackerOptions() => new()
    {
        FailureThreshold = FailureThreshold,
        RecoveryThreshold = RecoveryThreshold,
        Window = Window,
        MinSamples = MinSamples,
        DegradedSuccessRate = DegradedSuccessRate,
        UnhealthySuccessRate = UnhealthySuccessRate,
        DegradedLatency = DegradedLatency,
    };

    internal FailoverPolicyOptions ToPolicyOptions() => new() { Enabled = Failover.Enabled, Cooldown = Failover.Cooldown };
}

/// <summary>Automatic failover (section <c>Migration:Health:Failover</c>).</summary>
public sealed class FailoverOptions
{
    /// <summary>Whether a dead primary's traffic moves to a healthy candidate. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long the primary must be Healthy before traffic moves back; also the least time between switches. Default 60 s.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The one-token streaming probe (section <c>Migration:Health:StreamingProbe</c>).</summary>
public sealed class StreamingProbeOptions
{
    /// <summary>Whether it runs. It bills one token per probe. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The model to ask (primary name; mapped through <c>Candidate:ModelMap</c> for the candidate). Required when enabled.</summary>
    public string? Model { get; set; }

    /// <summary>Time between two streaming probes (rate limit). Default 5 min; at least 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether reasoning models (o1, o3, o4, *-reasoner, *thinking*) may be probed. Default false.</summary>
    public bool AllowReasoningModels { get; set; }
}
