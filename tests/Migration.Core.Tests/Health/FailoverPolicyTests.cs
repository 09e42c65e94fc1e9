using Migration.Core.Health;

namespace Migration.Core.Tests.Health;

public sealed class FailoverPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private static readonly FailoverPolicy Policy = new(new FailoverPolicyOptions { Cooldown = Cooldown });

    private static ProviderHealthSnapshot Snap(string name, ProviderStatus status, DateTimeOffset? since = null) => new()
    {
        Name = name,
        Status = status,
        Since = since ?? T0,
        ConsecutiveFailures = status == ProviderStatus.Unhealthy ? 3 : 0,
        ConsecutiveSuccesses = status == ProviderStatus.Unhealthy ? 0 : 5,
        SuccessRate = status == ProviderStatus.Unhealthy ? 0.25 : 1.0,
        Samples = 8,
    };

    private static ProviderHealthSnapshot Primary(ProviderStatus status, DateTimeOffset? since = null) => Snap("openai", status, since);

    private static ProviderHealthSnapshot Candidate(ProviderStatus status) => Snap("holysheep", status);

    [Fact]
    public void Evaluate_PrimaryUnhealthyCandidateHealthy_FailsOverWithNumbers()
    {
        var decision = Policy.Evaluate(FailoverState.Initial, Primary(ProviderStatus.Unhealthy), Candidate(ProviderStatus.Healthy), T0.AddSeconds(5));

        Assert.True(decision.Switched);
        Assert.True(decision.Next.RouteToCandidate);
        Assert.Equal(T0.AddSeconds(5), decision.Next.LastSwitchAt);
        Assert.Contains("failover", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("3 consecutive failures", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("success rate 0.25", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderStatus.Unknown)]
    [InlineData(ProviderStatus.Degraded)]
    [InlineData(ProviderStatus.Unhealthy)]
    public void Evaluate_PrimaryUnhealthyCandidateNotHealthy_Holds(ProviderStatus candidate)
    {
        var decision = Policy.Evaluate(FailoverState.Initial, Primary(ProviderStatus.Unhealthy), Candidate(candidate), T0);

        Assert.False(decision.Switched);
        Assert.Same(decision.Previous, decision.Next);
    }

    [Theory]
    [InlineData(ProviderStatus.Unknown)]
    [InlineData(ProviderStatus.Healthy)]
    [InlineData(ProviderStatus.Degraded)]
    public void Evaluate_PrimaryNotUnhealthy_Holds(ProviderStatus primary)
    {
        var decision = Policy.Evaluate(FailoverState.Initial, Primary(primary), Candidate(ProviderStatus.Healthy), T0);

        Assert.False(decision.Switched);
    }

    [Fact]
    public void Evaluate_Disabled_NeverFailsOver()
    {
        var policy = new FailoverPolicy(new FailoverPolicyOptions { Enabled = false });

        var decision = policy.Evaluate(FailoverState.Initial, Primary(ProviderStatus.Unhealthy), Candidate(ProviderStatus.Healthy), T0);

        Assert.False(decision.Switched);
        Assert.Contains("disabled", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DisabledWhileFailedOver_FailsBack()
    {
        var policy = new FailoverPolicy(new FailoverPolicyOptions { Enabled = false });

        var decision = policy.Evaluate(new FailoverState(true, T0), Primary(ProviderStatus.Unhealthy), Candidate(ProviderStatus.Healthy), T0.AddSeconds(1));

        Assert.True(decision.Switched);
        Assert.False(decision.Next.RouteToCandidate);
    }

    [Fact]
    public void Evaluate_PrimaryHealthyShorterThanCooldown_StaysFailedOver()
    {
        var state = new FailoverState(true, T0);

        var decision = Policy.Evaluate(state, Primary(ProviderStatus.Healthy, T0.AddSeconds(40)), Candidate(ProviderStatus.Healthy), T0.AddSeconds(69));

        Assert.False(decision.Switched);
        Assert.Contains("29 s of the 30 s cooldown", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PrimaryHealthyForCooldown_FailsBack()
    {
        var state = new FailoverState(true, T0);

        var decision = Policy.Evaluate(state, Primary(ProviderStatus.Healthy, T0.AddSeconds(40)), Candidate(ProviderStatus.Healthy), T0.AddSeconds(70));

        Assert.True(decision.Switched);
        Assert.False(decision.Next.RouteToCandidate);
        Assert.Equal(T0.AddSeconds(70), decision.Next.LastSwitchAt);
        Assert.Contains("failback", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PrimaryDegradedWhileFailedOver_StaysFailedOver()
    {
        var decision = Policy.Evaluate(new FailoverState(true, T0), Primary(ProviderStatus.Degraded, T0), Candidate(ProviderStatus.Healthy), T0.AddHours(1));

        Assert.False(decision.Switched);
    }

    [Fact]
    public void Evaluate_CandidateUnhealthyWhileFailedOverPrimaryDegraded_FailsBackInsideCooldown()
    {
        var decision = Policy.Evaluate(new FailoverState(true, T0), Primary(ProviderStatus.Degraded), Candidate(ProviderStatus.Unhealthy), T0.AddSeconds(1));

        Assert.True(decision.Switched);
        Assert.False(decision.Next.RouteToCandidate);
    }

    [Fact]
    public void Evaluate_BothUnhealthyWhileFailedOver_StaysFailedOver()
    {
        var decision = Policy.Evaluate(new FailoverState(true, T0), Primary(ProviderStatus.Unhealthy), Candidate(ProviderStatus.Unhealthy), T0.AddSeconds(1));

        Assert.False(decision.Switched);
    }

    [Fact]
    public void Evaluate_PrimaryDiesAgainInsideCooldownAfterFailback_Holds()
    {
        // Failed back at T0+70 s; the primary dies again at T0+80 s.
        var state = new FailoverState(false, T0.AddSeconds(70));

        var inside = Policy.Evaluate(state, Primary(ProviderStatus.Unhealthy), Candidate(ProviderStatus.Healthy), T0.AddSeconds(80));
        var after = Policy.Evaluate(state, Primary(ProviderStatus.Unhealthy), Candidate(ProviderStatus.Healthy), T0.AddSeconds(100));

        Assert.False(inside.Switched);
        Assert.Contains("cooldown", inside.Reason, StringComparison.Ordinal);
        Assert.True(after.Switched);
    }

    [Fact]
    public void Evaluate_FlappingPrimaryOverManyCooldowns_AtMostOneSwitchPerCooldown()
    {
        // Real trackers fed with a primary that is down 3 s, up 3 s, ... for 10 minutes, one probe a second.
        var options = new ProviderHealthOptions { FailureThreshold = 3, RecoveryThreshold = 2 };
        var primary = new ProviderHealthTracker("openai", options, T0);
        var candidate = new ProviderHealthTracker("holysheep", options, T0);
        var state = FailoverState.Initial;
        var switches = new List<DateTimeOffset>();
        for (var second = 0; second < 600; second++)
        {
            var now = T0.AddSeconds(second);
            if (second / 3 % 2 == 1)
            {
                primary.RecordFailure(now, "503");
            }
            else
            {
                primary.RecordSuccess(TimeSpan.FromMilliseconds(20), now);
            }

            candidate.RecordSuccess(TimeSpan.FromMilliseconds(20), now);
            var decision = Policy.Evaluate(state, primary.Snapshot(now), candidate.Snapshot(now), now);
            if (decision.Switched)
            {
                switches.Add(now);
            }

            state = decision.Next;
        }

        Assert.NotEmpty(switches);
        for (var i = 1; i < switches.Count; i++)
        {
            Assert.True(switches[i] - switches[i - 1] >= Cooldown, $"switches at {switches[i - 1]} and {switches[i]}");
        }

        // Never healthy for a whole cooldown: it failed over once and stayed.
        Assert.Single(switches);
        Assert.True(state.RouteToCandidate);
    }

    [Fact]
    public void Describe_Snapshot_ListsNumbers()
    {
        var text = FailoverPolicy.Describe(Primary(ProviderStatus.Unhealthy) with { AverageLatency = TimeSpan.FromMilliseconds(120), LastError = "503" });

        Assert.Equal("3 consecutive failures, success rate 0.25 over 8 samples, avg 120 ms, last error: 503", text);
    }
}
