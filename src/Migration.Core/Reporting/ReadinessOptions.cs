namespace Migration.Core.Reporting;

/// <summary>
/// The rules behind the report's recommendation (configuration section <c>Migration:Readiness</c>).
/// READY needs every rule met; below <see cref="MinCompared"/> the answer is INSUFFICIENT_DATA.
/// </summary>
public sealed class ReadinessOptions
{
    /// <summary>Compared requests needed before any verdict. Default 100.</summary>
    public int MinCompared { get; set; } = 100;

    /// <summary>
    /// Optional absolute floor on the match rate (exact + equivalent + similar) / compared, on top of the agreement
    /// rule. Default null (off): a model that samples cannot reach a fixed bar even against itself.
    /// </summary>
    public double? MinMatchRate { get; set; }

    /// <summary>
    /// Whether the agreement rule needs noise-floor rows (primary vs primary). Default true: without
    /// <see cref="MinNoiseSamples"/> noise rows the rule is INSUFFICIENT_DATA. False skips the rule (then only
    /// <see cref="MinMatchRate"/>, if set, judges agreement).
    /// </summary>
    public bool RequireNoiseFloor { get; set; } = true;

    /// <summary>Compared noise-floor rows needed before the agreement rule decides. Default 30.</summary>
    public int MinNoiseSamples { get; set; } = 30;

    /// <summary>
    /// How far (in share points, 0..1) the candidate's match share may fall below the primary's own before it counts
    /// as worse. Default 0.05.
    /// </summary>
    public double AgreementTolerance { get; set; } = 0.05;

    /// <summary>Significance level of the one-sided two-proportion test of the agreement rule. Default 0.05.</summary>
    public double AgreementSignificance { get; set; } = 0.05;

    /// <summary>Lowest acceptable candidate success rate. Default 0.99.</summary>
    public double MinCandidateSuccessRate { get; set; } = 0.99;

    /// <summary>Largest acceptable candidate p95 latency as a multiple of the primary's. Default 1.5.</summary>
    public double MaxP95LatencyRatio { get; set; } = 1.5;

    /// <summary>
    /// The p95 latency rule fails only when the candidate is also slower than the primary by more than this many
    /// milliseconds. Default 100.
    /// </summary>
    public double P95LatencyMarginMs { get; set; } = 100;

    /// <summary>Largest acceptable candidate p95 time to first token as a multiple of the primary's. Default 1.5.</summary>
    public double MaxP95TtftRatio { get; set; } = 1.5;

    /// <summary>
    /// The p95 TTFT rule fails only when the candidate is also slower than the primary by more than this many
    /// milliseconds. Default 100.
    /// </summary>
    public double P95TtftMarginMs { get; set; } = 100;

    /// <summary>Successful exchanges needed on each side before a latency or TTFT rule decides. Default 30.</summary>
    public int MinLatencySamples { get; set; } = 30;

    /// <summary>Largest acceptable candidate cost as a multiple of the primary's. Default 1.0 (not more expensive).</summary>
    public double MaxCostRatio { get; set; } = 1.0;

    /// <summary>Largest acceptable share of sampled exchanges dropped before mirroring. Default 0.10.</summary>
    public double MaxDroppedRate { get; set; } = 0.10;
}
