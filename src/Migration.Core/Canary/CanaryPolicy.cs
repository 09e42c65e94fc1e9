using System.Globalization;

namespace Migration.Core.Canary;

/// <summary>
/// The canary decision logic: a pure state machine. No I/O and no clock: the caller passes the state, the window
/// statistics or a command, and the time; it gets the next state, the weight and the reason back
/// (<see cref="CanaryDecision"/>). Thread-safe (immutable after construction).
/// </summary>
/// <remarks>
/// Rules while ramping (and, by default, while paused): below <see cref="CanaryPolicyOptions.MinRequests"/> canary
/// requests in the window nothing is decided (hold). Otherwise a trip rolls back at once (weight 0): error rate above
/// <see cref="CanaryPolicyOptions.MaxErrorRate"/>, success rate below <see cref="CanaryPolicyOptions.MinSuccessRate"/>,
/// p99 above <see cref="CanaryPolicyOptions.MaxP99"/>, or, once the primary has
/// <see cref="CanaryPolicyOptions.MinPrimaryRequestsForComparison"/> requests in the window, an error rate clearly
/// worse than the primary's (one-sided two-proportion z-test above <see cref="CanaryPolicyOptions.ErrorRateZ"/> and a
/// difference above <see cref="CanaryPolicyOptions.MinErrorRateDelta"/>) or a p99 above
/// <see cref="CanaryPolicyOptions.MaxP99Ratio"/> times the primary's. A value exactly at its threshold does not trip.
/// Without a trip, a step held for <see cref="CanaryPolicyOptions.StepHold"/> (measured from
/// <see cref="CanaryState.StepStartedAt"/>, inclusive) advances to the next step, and the last step promotes.
/// A paused canary never advances; it holds the weight it had (pausing does not route traffic back).
/// </remarks>
public sealed partial class CanaryPolicy
{
    // Rates are compared with a small tolerance so that a value that is at its threshold up to floating-point
    // rounding (0.07 - 0.06 vs 0.01) counts as "at", which never trips.
    private const double Tolerance = 1e-9;

    private readonly double[] _steps;
    private readonly TimeSpan _stepHold;
    private readonly int _minRequests;
    private readonly TimeSpan _window;
    private readonly double _maxErrorRate;
    private readonly double _maxP99Ms;
    private readonly double _minSuccessRate;
    private readonly double _errorRateZ;
    private readonly double _minErrorRateDelta;
    private readonly double _maxP99Ratio;
    private readonly int _minPrimaryRequests;
    private readonly bool _rollbackWhilePaused;

    /// <summary>Creates the policy from a copy of <paramref name="options"/> (later changes to them are not seen).</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public CanaryPolicy(CanaryPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate("Canary");
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid canary options: " + string.Join("; ", problems), nameof(options));
        }

        _steps = [.. options.EffectiveSteps];
        _stepHold = options.StepHold;
        _minRequests = options.MinRequests;
        _window = options.Window;
        _maxErrorRate = options.MaxErrorRate;
        _maxP99Ms = options.MaxP99.TotalMilliseconds;
        _minSuccessRate = options.MinSuccessRate;
        _errorRateZ = options.ErrorRateZ;
        _minErrorRateDelta = options.MinErrorRateDelta;
        _maxP99Ratio = options.MaxP99Ratio;
        _minPrimaryRequests = options.MinPrimaryRequestsForComparison;
        _rollbackWhilePaused = options.RollbackWhilePaused;
    }

    /// <summary>The ramp's weights in percent.</summary>
    public IReadOnlyList<double> Steps => _steps;

    /// <summary>
    /// Where the evaluation window starts: <c>now - Window</c>, but never before the current weight started to be
    /// held, so traffic at an earlier weight does not count toward this one.
    /// </summary>
    public DateTimeOffset GetWindowStart(CanaryState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var start = now - _window;
        return state.StepStartedAt is { } started && started > start && started <= now ? started : start;
    }

    /// <summary>
    /// Decides what the window's numbers mean for the state at <paramref name="now"/>: hold, advance, promote or
    /// roll back. States other than ramping and paused always hold.
    /// </summary>
    /// <param name="state">The current state.</param>
    /// <param name="canary">Canary arm over the window.</param>
    /// <param name="primary">Primary arm over the same window.</param>
    /// <param name="now">The evaluation time.</param>
    public CanaryDecision Evaluate(CanaryState state, WindowStats canary, WindowStats primary, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(primary);

        switch (state.Phase)
        {
            case CanaryPhase.Idle:
                return Hold(state, "canary is idle: nothing to evaluate", null);
            case CanaryPhase.Shadow:
                return Hold(state, "shadow mode: no live canary traffic to evaluate", null);
            case CanaryPhase.RolledBack:
                return Hold(state, "canary is rolled back: waiting for retry", null);
            case CanaryPhase.Promoted:
                return Hold(state, "canary is promoted: nothing to evaluate", null);
            case CanaryPhase.Ramping:
            case CanaryPhase.Paused:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state.Phase, "Unknown canary phase.");
        }

        var held = state.StepStartedAt is { } started && now > started ? now - started : TimeSpan.Zero;
        var (metrics, trips) = Measure(canary, primary, held);
        var paused = state.Phase == CanaryPhase.Paused;

        if (canary.Requests < _minRequests)
        {
            return Hold(state, Invariant($"too little data: {canary.Requests} < {_minRequests} requests{(paused ? " (paused)" : string.Empty)}"), metrics);
        }

        if (trips.Count > 0)
        {
            var tripText = string.Join("; ", trips);
            if (paused && !_rollbackWhilePaused)
            {
                return Hold(state, Invariant($"paused at {Pct(state.Weight)}: tripped but rollback while paused is off: {tripText}"), metrics);
            }

            var reason = Invariant($"automatic rollback from {Pct(state.Weight)}: {tripText}");
            var next = Transition(state, now, reason) with
            {
                Phase = CanaryPhase.RolledBack,
                Weight = 0,
                PausedFrom = null,
                StepStartedAt = null,
            };
            return Decide(state, next, CanaryDecisionKind.Rollback, reason, metrics);
        }

        var summary = Invariant($"{canary.Requests} requests, error rate {Rate(canary.ErrorRate)}, success rate {Rate(canary.SuccessRate)}, p99 {Ms(canary.P99Milliseconds)} ms");
        if (paused)
        {
            return Hold(state, Invariant($"paused at {Pct(state.Weight)}: no automatic advance; {summary}"), metrics);
        }

        if (state.StepStartedAt is null)
        {
            return Hold(state, Invariant($"step start time unknown at {Pct(state.Weight)}: cannot measure the hold; {summary}"), metrics);
        }

        if (held < _stepHold)
        {
            return Hold(state, Invariant($"holding {Pct(state.Weight)}: held {Duration(held)} of {Duration(_stepHold)}; {summary}"), metrics);
        }

        var nextStep = NextStepAbove(state.Weight);
        if (nextStep is null)
        {
            var reason = Invariant($"promoted: {Pct(state.Weight)} held {Duration(held)} with {summary}");
            return Decide(state, Promoted(state, now, reason), CanaryDecisionKind.Promote, reason, metrics);
        }

        var advanceReason = Invariant($"advanced from {Pct(state.Weight)} to {Pct(nextStep.Value)}: held {Duration(held)} with {summary}");
        return Decide(state, RampingAt(state, nextStep.Value, now, advanceReason), CanaryDecisionKind.Advance, advanceReason, metrics);
    }

    /// <summary>
    /// The one-sided two-proportion z statistic of "the canary's failure rate is higher than the primary's" with a
    /// pooled variance; 0 when both rates are equal (including both 0 or both 1), null when either side has no requests.
    /// </summary>
    internal static double? ErrorRateZValue(WindowStats canary, WindowStats primary)
    {
        if (canary.Requests <= 0 || primary.Requests <= 0)
        {
            return null;
        }

        double n1 = canary.Requests, n2 = primary.Requests;
        var p1 = canary.Failures / n1;
        var p2 = primary.Failures / n2;
        var pooled = (canary.Failures + primary.Failures) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        return se <= 0 ? 0 : (p1 - p2) / se;
    }

    private (CanaryMetrics Metrics, List<string> Trips) Measure(WindowStats canary, WindowStats primary, TimeSpan held)
    {
        var trips = new List<string>();
        var tripNames = new List<string>();
        double? z = null, delta = null, ratio = null;
        var n = canary.Requests;
        var comparable = primary.Requests >= _minPrimaryRequests;

        if (comparable)
        {
            z = ErrorRateZValue(canary, primary);
            delta = canary.ErrorRate - primary.ErrorRate;
            if (primary.P99Milliseconds > 0)
            {
                ratio = canary.P99Milliseconds / primary.P99Milliseconds;
            }
        }

        if (n >= _minRequests)
        {
            if (canary.ErrorRate > _maxErrorRate + Tolerance)
            {
                tripNames.Add("error_rate");
                trips.Add(Invariant($"error rate {Rate(canary.ErrorRate)} > {Rate(_maxErrorRate)} over {n} requests"));
            }

            if (canary.SuccessRate < _minSuccessRate - Tolerance)
            {
                tripNames.Add("success_rate");
                trips.Add(Invariant($"success rate {Rate(canary.SuccessRate)} < {Rate(_minSuccessRate)} over {n} requests"));
            }

            if (canary.P99Milliseconds > _maxP99Ms)
            {
                tripNames.Add("p99");
                trips.Add(Invariant($"p99 {Ms(canary.P99Milliseconds)} ms > {Ms(_maxP99Ms)} ms over {n} requests"));
            }

            if (z is { } zv && delta is { } d && zv > _errorRateZ && d > _minErrorRateDelta + Tolerance)
            {
                tripNames.Add("error_rate_vs_primary");
                trips.Add(Invariant($"error rate {Rate(canary.ErrorRate)} vs primary {Rate(primary.ErrorRate)}: z {zv:0.###} > {_errorRateZ:0.###} and difference {Rate(d)} > {Rate(_minErrorRateDelta)} over {n}/{primary.Requests} requests"));
            }

            if (ratio is { } r && r > _maxP99Ratio + Tolerance)
            {
                tripNames.Add("p99_vs_primary");
                trips.Add(Invariant($"p99 {Ms(canary.P99Milliseconds)} ms is {r:0.###}x primary {Ms(primary.P99Milliseconds)} ms > {_maxP99Ratio:0.##}x over {n}/{primary.Requests} requests"));
            }
        }

        var metrics = new CanaryMetrics
        {
            CanaryRequests = canary.Requests,
            CanarySuccesses = canary.Successes,
            CanaryFailures = canary.Failures,
            CanaryFallbacks = canary.Fallbacks,
            CanaryErrorRate = canary.ErrorRate,
            CanarySuccessRate = canary.SuccessRate,
            CanaryP99Ms = canary.P99Milliseconds,
            PrimaryRequests = primary.Requests,
            PrimaryErrorRate = primary.ErrorRate,
            PrimaryP99Ms = primary.P99Milliseconds,
            ErrorRateZ = z,
            ErrorRateDelta = delta,
            P99Ratio = ratio,
            HeldSeconds = held.TotalSeconds,
            Trips = tripNames,
        };
        return (metrics, trips);
    }

    private static CanaryDecision Hold(CanaryState state, string reason, CanaryMetrics? metrics) =>
        Decide(state, state, CanaryDecisionKind.Hold, reason, metrics);

    private static CanaryDecision Decide(CanaryState previous, CanaryState next, CanaryDecisionKind kind, string reason, CanaryMetrics? metrics) =>
        new() { Previous = previous, Next = next, Kind = kind, Reason = reason, Metrics = metrics };

    /// <summary>A copy of <paramref name="state"/> stamped as a change: version + 1, time, reason.</summary>
    private static CanaryState Transition(CanaryState state, DateTimeOffset now, string reason) =>
        state with { Version = state.Version + 1, UpdatedAt = now, Reason = reason };

    private CanaryState RampingAt(CanaryState state, double weight, DateTimeOffset now, string reason) =>
        Transition(state, now, reason) with
        {
            Phase = CanaryPhase.Ramping,
            Weight = weight,
            StepIndex = IndexAtOrBelow(weight),
            PausedFrom = null,
            StepStartedAt = now,
        };

    private CanaryState Promoted(CanaryState state, DateTimeOffset now, string reason) =>
        Transition(state, now, reason) with
        {
            Phase = CanaryPhase.Promoted,
            Weight = 100,
            StepIndex = _steps.Length - 1,
            PausedFrom = null,
            StepStartedAt = now,
        };

    private int IndexAtOrBelow(double weight)
    {
        var index = -1;
        for (var i = 0; i < _steps.Length && _steps[i] <= weight + Tolerance; i++)
        {
            index = i;
        }

        return index;
    }

    private double? NextStepAbove(double weight)
    {
        foreach (var step in _steps)
        {
            if (step > weight + Tolerance)
            {
                return step;
            }
        }

        return null;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Rate(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Pct(double weight) => weight.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Duration(TimeSpan d) => d.TotalSeconds < 60
        ? d.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s"
        : d.TotalHours < 1
            ? Invariant($"{(int)d.TotalMinutes}m{d.Seconds:00}s")
            : Invariant($"{(int)d.TotalHours}h{d.Minutes:00}m{d.Seconds:00}s");
}
