using Migration.Core.Canary;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Configuration;

/// <summary>
/// The canary (section <c>Migration:Canary</c>): the ramp and its guard rails (the same fields as Core's
/// <see cref="CanaryPolicyOptions"/>, so <c>migrationctl</c> reads the same section), plus how requests are
/// assigned and how this instance takes part (controller, flag refresh, alerts, forwarding).
/// </summary>
public sealed class CanaryOptions
{
    /// <summary>Weights in percent, strictly increasing, ending with 100. Empty = 5, 10, 25, 50, 100.</summary>
    public IList<double> Steps { get; set; } = [];

    /// <summary>How long each step is held before advancing. Default 5 min.</summary>
    public TimeSpan StepHold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Canary requests needed in the window before any decision. Default 200.</summary>
    public int MinRequests { get; set; } = 200;

    /// <summary>How often the leading controller evaluates. Default 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The evaluation window (never before the current step started). Default 1 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest acceptable canary error rate (fallbacks included), 0..1. Default 0.05.</summary>
    public double MaxErrorRate { get; set; } = 0.05;

    /// <summary>Largest acceptable canary p99. Default 5 s.</summary>
    public TimeSpan MaxP99 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lowest acceptable canary success rate, 0..1. Default 0.95.</summary>
    public double MinSuccessRate { get; set; } = 0.95;

    /// <summary>Critical z of "canary error rate above primary's". Default 2.326.</summary>
    public double ErrorRateZ { get; set; } = 2.326;

    /// <summary>Smallest error-rate difference that may trip the comparison. Default 0.01.</summary>
    public double MinErrorRateDelta { get; set; } = 0.01;

    /// <summary>Largest canary p99 / primary p99. Default 2.0.</summary>
    public double MaxP99Ratio { get; set; } = 2.0;

    /// <summary>Primary requests needed before the canary is compared with the primary. Default 200.</summary>
    public int MinPrimaryRequestsForComparison { get; set; } = 200;

    /// <summary>Whether a paused canary still rolls back on a trip. Default true.</summary>
    public bool RollbackWhilePaused { get; set; } = true;

    /// <summary>
    /// Sticky assignment: <c>header:NAME</c> (e.g. <c>header:X-User-Id</c>) or <c>claim:TYPE</c> (e.g. <c>claim:sub</c>).
    /// A key keeps its arm at a given weight and stays on the candidate as the weight rises. Null, or a request
    /// without the key: assigned per request at random with the weight as probability.
    /// </summary>
    public string? StickyKey { get; set; }

    /// <summary>The migration's key in <c>canary_state</c>. Default <c>default</c>.</summary>
    public string Migration { get; set; } = ICanaryStateStore.DefaultMigration;

    /// <summary>Safety-net re-read of the state besides LISTEN/NOTIFY. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Fail-safe: when this instance has not been able to read the canary state for this long while it routes a
    /// weight above 0 (PostgreSQL down or unreachable: the controller can neither see the traffic nor store a
    /// rollback), it routes everything to the primary until a read succeeds again, says so in status and alerts.
    /// Must be longer than <see cref="PollInterval"/>. Default six poll intervals (30 s with the default poll).
    /// </summary>
    public TimeSpan? FailSafeAfter { get; set; }

    /// <summary><see cref="FailSafeAfter"/> as applied: the configured value, else six poll intervals.</summary>
    internal TimeSpan EffectiveFailSafeAfter => FailSafeAfter ?? PollInterval * 6;

    /// <summary>Slack-compatible webhook (<c>{"text": "..."}</c>) told about rollbacks and promotions. Optional.</summary>
    public string? AlertWebhookUrl { get; set; }

    /// <summary>Whether this instance runs a controller (one instance leads at a time). Default true.</summary>
    public bool ControllerEnabled { get; set; } = true;

    /// <summary>
    /// A canary request whose first body byte has not arrived within this time falls back to the primary.
    /// Default 10 s.
    /// </summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Share of failed canary calls (within <see cref="CircuitBreakerSamplingDuration"/>) that opens the breaker. Default 0.5.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Canary calls needed in the sampling duration before the breaker may open. Default 10.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Window over which the breaker counts failures. Default 30 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open (everything to the primary) before it tries again. Default 30 s.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The policy's options (a copy).</summary>
    public CanaryPolicyOptions ToPolicyOptions() => new()
    {
        Steps = [.. Steps],
        StepHold = StepHold,
        MinRequests = MinRequests,
        Interval = Interval,
        Window = Window,
        MaxErrorRate = MaxErrorRate,
        MaxP99 = MaxP99,
        MinSuccessRate = MinSuccessRate,
        ErrorRateZ = ErrorRateZ,
        MinErrorRateDelta = MinErrorRateDelta,
        MaxP99Ratio = MaxP99Ratio,
        MinPrimaryRequestsForComparison = MinPrimaryRequestsForComparison,
        RollbackWhilePaused = RollbackWhilePaused,
    };
}
