using System.Globalization;

namespace Migration.Core.Canary;

/// <summary>
/// The canary ramp and its guard rails (configuration section <c>Migration:Canary</c>).
/// Every threshold trips only when strictly exceeded: an error rate exactly at <see cref="MaxErrorRate"/>,
/// a success rate exactly at <see cref="MinSuccessRate"/> or a p99 exactly at <see cref="MaxP99"/> is fine.
/// </summary>
public sealed class CanaryPolicyOptions
{
    /// <summary>The ramp used when <see cref="Steps"/> is empty: 5, 10, 25, 50, 100.</summary>
    public static IReadOnlyList<double> DefaultSteps { get; } = [5, 10, 25, 50, 100];

    /// <summary>
    /// Weights in percent the ramp goes through, strictly increasing, each in (0, 100], ending with 100.
    /// Empty (the default) means <see cref="DefaultSteps"/>: configuration binding appends to a pre-filled
    /// collection instead of replacing it, so the default is not pre-filled here. Read <see cref="EffectiveSteps"/>.
    /// </summary>
    public IList<double> Steps { get; set; } = [];

    /// <summary><see cref="Steps"/>, or <see cref="DefaultSteps"/> when none are configured.</summary>
    public IReadOnlyList<double> EffectiveSteps => Steps is { Count: > 0 } ? [.. Steps] : DefaultSteps;

    /// <summary>How long each step is held (with enough data and nothing tripped) before advancing. Default 5 min.</summary>
    public TimeSpan StepHold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Canary requests needed in the window before any decision (rollback or advance). Default 200.</summary>
    public int MinRequests { get; set; } = 200;

    /// <summary>How often the controller evaluates. Default 10 s. (Used by the controller, not by the policy.)</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The evaluation window: the controller merges traffic from <c>max(StepStartedAt, now - Window)</c> to now
    /// (see <see cref="CanaryPolicy.GetWindowStart"/>). Short enough that a fault trips fast, long enough to hold
    /// <see cref="MinRequests"/>. Default 1 min.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest acceptable canary error rate (failures incl. fallbacks / requests), 0..1. Default 0.05.</summary>
    public double MaxErrorRate { get; set; } = 0.05;

    /// <summary>Largest acceptable canary p99 latency. Default 5 s.</summary>
    public TimeSpan MaxP99 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lowest acceptable canary success rate (successes / requests), 0..1. Default 0.95.</summary>
    public double MinSuccessRate { get; set; } = 0.95;

    /// <summary>
    /// Critical value of the one-sided two-proportion z-test "canary error rate is higher than primary's".
    /// Default 2.326 (99 %).
    /// </summary>
    public double ErrorRateZ { get; set; } = 2.326;

    /// <summary>
    /// Smallest absolute error-rate difference (canary - primary) that may trip the comparison, so a tiny but
    /// significant difference on huge samples does not roll back. 0..1. Default 0.01.
    /// </summary>
    public double MinErrorRateDelta { get; set; } = 0.01;

    /// <summary>Largest acceptable canary p99 / primary p99 (at least 1). Default 2.0.</summary>
    public double MaxP99Ratio { get; set; } = 2.0;

    /// <summary>Primary requests needed in the window before the canary is compared with the primary. Default 200.</summary>
    public int MinPrimaryRequestsForComparison { get; set; } = 200;

    /// <summary>
    /// Whether a paused canary still rolls back when a threshold trips. Default true: pausing stops the ramp,
    /// not the safety net.
    /// </summary>
    public bool RollbackWhilePaused { get; set; } = true;

    /// <summary>
    /// Every problem with these options, each prefixed with its configuration path
    /// (e.g. <c>Migration:Canary:Steps[2] must be greater than the previous step (10)</c>). Empty when valid.
    /// </summary>
    /// <param name="pathPrefix">The section path, e.g. <c>Migration:Canary</c>; empty for none.</param>
    public IReadOnlyList<string> Validate(string pathPrefix)
    {
        var errors = new List<string>();
        string P(string name) => string.IsNullOrEmpty(pathPrefix) ? name : pathPrefix + ":" + name;
        static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

        var steps = EffectiveSteps;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var path = P(string.Create(CultureInfo.InvariantCulture, $"Steps[{i}]"));
            if (!double.IsFinite(step) || step <= 0 || step > 100)
            {
                errors.Add($"{path} must be within (0, 100] percent (was {F(step)})");
            }
            else if (i > 0 && double.IsFinite(steps[i - 1]) && step <= steps[i - 1])
            {
                errors.Add($"{path} must be greater than the previous step ({F(steps[i - 1])})");
            }
        }

        if (steps.Count > 0 && steps[^1] != 100)
        {
            errors.Add($"{P("Steps")} must end with 100 (the last step is {F(steps[^1])})");
        }

        if (StepHold <= TimeSpan.Zero)
        {
            errors.Add($"{P("StepHold")} must be positive (was {StepHold})");
        }

        if (MinRequests < 1)
        {
            errors.Add($"{P("MinRequests")} must be at least 1 (was {MinRequests})");
        }

        if (Interval <= TimeSpan.Zero)
        {
            errors.Add($"{P("Interval")} must be positive (was {Interval})");
        }

        if (Window <= TimeSpan.Zero)
        {
            errors.Add($"{P("Window")} must be positive (was {Window})");
        }

        if (!IsRate(MaxErrorRate))
        {
            errors.Add($"{P("MaxErrorRate")} must be within [0, 1] (was {F(MaxErrorRate)})");
        }

        if (MaxP99 <= TimeSpan.Zero)
        {
            errors.Add($"{P("MaxP99")} must be positive (was {MaxP99})");
        }

        if (!IsRate(MinSuccessRate))
        {
            errors.Add($"{P("MinSuccessRate")} must be within [0, 1] (was {F(MinSuccessRate)})");
        }

        if (!double.IsFinite(ErrorRateZ) || ErrorRateZ <= 0)
        {
            errors.Add($"{P("ErrorRateZ")} must be a positive number (was {F(ErrorRateZ)})");
        }

        if (!IsRate(MinErrorRateDelta))
        {
            errors.Add($"{P("MinErrorRateDelta")} must be within [0, 1] (was {F(MinErrorRateDelta)})");
        }

        if (!double.IsFinite(MaxP99Ratio) || MaxP99Ratio < 1)
        {
            errors.Add($"{P("MaxP99Ratio")} must be at least 1 (was {F(MaxP99Ratio)})");
        }

        if (MinPrimaryRequestsForComparison < 1)
        {
            errors.Add($"{P("MinPrimaryRequestsForComparison")} must be at least 1 (was {MinPrimaryRequestsForComparison})");
        }

        return errors;
    }

    private static bool IsRate(double value) => double.IsFinite(value) && value is >= 0 and <= 1;
}
