using System.Globalization;

namespace Migration.Core.Health;

/// <summary>
/// Decides, purely from the two providers' health and the time, where primary-arm traffic goes:
/// <list type="bullet">
/// <item>fail over when the primary is Unhealthy and the candidate Healthy (and failover is enabled), unless the
/// last switch was less than a cooldown ago;</item>
/// <item>fail back when the primary has been Healthy for a cooldown and the last switch was at least a cooldown ago;</item>
/// <item>fail back at once, whatever the cooldown, when failover gets disabled or the candidate itself turns Unhealthy
/// while the primary is not (serving from a dead candidate is never better).</item>
/// </list>
/// </summary>
public sealed class FailoverPolicy
{
    /// <summary>A policy with <paramref name="options"/>.</summary>
    public FailoverPolicy(FailoverPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cooldown, TimeSpan.Zero, nameof(options));
        Options = options;
    }

    /// <summary>The rules in use.</summary>
    public FailoverPolicyOptions Options { get; }

    /// <summary>The next route given <paramref name="state"/>, both providers' health and <paramref name="now"/>.</summary>
    public FailoverDecision Evaluate(FailoverState state, ProviderHealthSnapshot primary, ProviderHealthSnapshot candidate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(candidate);
        return state.RouteToCandidate
            ? WhileFailedOver(state, primary, candidate, now)
            : WhileOnPrimary(state, primary, candidate, now);
    }

    private FailoverDecision WhileOnPrimary(FailoverState state, ProviderHealthSnapshot primary, ProviderHealthSnapshot candidate, DateTimeOffset now)
    {
        if (primary.Status != ProviderStatus.Unhealthy)
        {
            return Hold(state, primary, candidate, $"primary {primary.Name} is {Name(primary.Status)}");
        }

        if (!Options.Enabled)
        {
            return Hold(state, primary, candidate, $"primary {primary.Name} is unhealthy ({Describe(primary)}) but failover is disabled");
        }

        if (candidate.Status != ProviderStatus.Healthy)
        {
            return Hold(state, primary, candidate, $"primary {primary.Name} is unhealthy ({Describe(primary)}) but candidate {candidate.Name} is {Name(candidate.Status)}");
        }

        if (InCooldown(state, now, out var left))
        {
            return Hold(state, primary, candidate, $"primary {primary.Name} is unhealthy but the last switch was less than the cooldown ago ({Seconds(left)} s left)");
        }

        return new FailoverDecision(
            state,
            new FailoverState(true, now),
            $"failover: primary {primary.Name} unhealthy ({Describe(primary)}), candidate {candidate.Name} healthy ({Describe(candidate)})",
            primary,
            candidate);
    }

    private FailoverDecision WhileFailedOver(FailoverState state, ProviderHealthSnapshot primary, ProviderHealthSnapshot candidate, DateTimeOffset now)
    {
        if (!Options.Enabled)
        {
            return Back(state, primary, candidate, now, "failback: failover was disabled");
        }

        if (candidate.Status == ProviderStatus.Unhealthy && primary.Status != ProviderStatus.Unhealthy)
        {
            return Back(state, primary, candidate, now, $"failback: candidate {candidate.Name} unhealthy ({Describe(candidate)}), primary {primary.Name} {Name(primary.Status)}");
        }

        if (primary.Status != ProviderStatus.Healthy)
        {
            return Hold(state, primary, candidate, $"failed over: primary {primary.Name} is {Name(primary.Status)}");
        }

        var healthyFor = primary.TimeInStatus(now);
        if (healthyFor < Options.Cooldown)
        {
            return Hold(state, primary, candidate, $"failed over: primary {primary.Name} healthy for {Seconds(healthyFor)} s of the {Seconds(Options.Cooldown)} s cooldown");
        }

        if (InCooldown(state, now, out var left))
        {
            return Hold(state, primary, candidate, $"failed over: the last switch was less than the cooldown ago ({Seconds(left)} s left)");
        }

        return Back(state, primary, candidate, now, $"failback: primary {primary.Name} healthy for {Seconds(healthyFor)} s ({Describe(primary)})");
    }

    private bool InCooldown(FailoverState state, DateTimeOffset now, out TimeSpan left)
    {
        left = state.LastSwitchAt is { } last ? Options.Cooldown - (now - last) : TimeSpan.Zero;
        return left > TimeSpan.Zero;
    }

    private static FailoverDecision Hold(FailoverState state, ProviderHealthSnapshot primary, ProviderHealthSnapshot candidate, string reason) =>
        new(state, state, reason, primary, candidate);

    private static FailoverDecision Back(FailoverState state, ProviderHealthSnapshot primary, ProviderHealthSnapshot candidate, DateTimeOffset now, string reason) =>
        new(state, new FailoverState(false, now), reason, primary, candidate);

    /// <summary>The lowercase name of a status: unknown, healthy, degraded, unhealthy.</summary>
    public static string Name(ProviderStatus status) => status switch
    {
        ProviderStatus.Healthy => "healthy",
        ProviderStatus.Degraded => "degraded",
        ProviderStatus.Unhealthy => "unhealthy",
        _ => "unknown",
    };

    /// <summary>The numbers of a snapshot in one line, e.g. <c>3 consecutive failures, success rate 0.40 over 10 samples, avg 120 ms</c>.</summary>
    public static string Describe(ProviderHealthSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var parts = new List<string>(4);
        if (snapshot.ConsecutiveFailures > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{snapshot.ConsecutiveFailures} consecutive failures"));
        }
        else
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{snapshot.ConsecutiveSuccesses} consecutive successes"));
        }

        if (snapshot.SuccessRate is { } rate)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"success rate {rate:0.00} over {snapshot.Samples} samples"));
        }

        if (snapshot.AverageLatency is { } latency)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"avg {latency.TotalMilliseconds:0} ms"));
        }

        if (snapshot.ConsecutiveFailures > 0 && snapshot.LastError is { Length: > 0 } error)
        {
            parts.Add("last error: " + error);
        }

        return string.Join(", ", parts);
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
