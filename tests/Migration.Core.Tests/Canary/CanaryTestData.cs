using Migration.Core.Canary;

namespace Migration.Core.Tests.Canary;

/// <summary>Builders shared by the canary tests.</summary>
internal static class CanaryTestData
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static CanaryPolicy Policy(Action<CanaryPolicyOptions>? configure = null)
    {
        var options = new CanaryPolicyOptions();
        configure?.Invoke(options);
        return new CanaryPolicy(options);
    }

    public static CanaryState State(CanaryPhase phase, double weight, int stepIndex = -1, DateTimeOffset? startedAt = null) => new()
    {
        Phase = phase,
        Weight = weight,
        StepIndex = stepIndex,
        PausedFrom = phase == CanaryPhase.Paused ? CanaryPhase.Ramping : null,
        StepStartedAt = phase is CanaryPhase.Ramping or CanaryPhase.Paused or CanaryPhase.Promoted ? startedAt ?? T0 : null,
        UpdatedAt = T0,
        Version = 7,
        Reason = "test",
    };

    public static CanaryState Ramping(double weight = 5, int stepIndex = 0, DateTimeOffset? startedAt = null) =>
        State(CanaryPhase.Ramping, weight, stepIndex, startedAt);

    /// <summary>Traffic where every failure is a 5xx.</summary>
    public static WindowStats Traffic(long requests, long failures = 0, double p99Ms = 100) => new()
    {
        Requests = requests,
        Successes = requests - failures,
        ErrorsServer = failures,
        P99Milliseconds = p99Ms,
    };

    /// <summary>Healthy primary traffic large enough for the comparison.</summary>
    public static WindowStats Primary(long requests = 10_000, long failures = 0, double p99Ms = 100) => Traffic(requests, failures, p99Ms);
}
