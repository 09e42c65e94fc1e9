namespace Migration.Core.Reporting;

/// <summary>
/// The rules behind the report's recommendation (configuration section <c>Migration:Readiness</c>).
/// READY needs every rule met; below <see cref="MinCompared"/> the answer is INSUFFICIENT_DATA.
/// </summary>
public sealed class ReadinessOptions
{
    /// <summary>Compared requests needed before any verdict. Default 100.</summary>
    public int MinCompared { get; set; } = 100;

    /// <summary>Lowest acceptable match rate (exact + equivalent + similar) / compared. Default 0.90.</summary>
    public double MinMatchRate { get; set; } = 0.90;

    /// <summary>Lowest acceptable candidate success rate. Default 0.99.</summary>
    public double MinCandidateSuccessRate { get; set; } = 0.99;

    /// <summary>Largest acceptable candidate p95 latency as a multiple of the primary's. Default 1.5.</summary>
    public double MaxP95LatencyRatio { get; set; } = 1.5;

    /// <summary>Largest acceptable candidate p95 time to first token as a multiple of the primary's. Default 1.5.</summary>
    public double MaxP95TtftRatio { get; set; } = 1.5;

    /// <summary>Largest acceptable candidate cost as a multiple of the primary's. Default 1.0 (not more expensive).</summary>
    public double MaxCostRatio { get; set; } = 1.0;

    /// <summary>Largest acceptable share of sampled exchanges dropped before mirroring. Default 0.10.</summary>
    public double MaxDroppedRate { get; set; } = 0.10;
}
