namespace Migration.Core.Reporting;

/// <summary>How one readiness rule came out.</summary>
public enum RuleOutcome
{
    /// <summary>Measured and not met: the candidate needs tuning.</summary>
    Fail = 0,

    /// <summary>Too few samples to decide; the recommendation cannot be READY.</summary>
    InsufficientData = 1,

    /// <summary>Measured and met.</summary>
    Pass = 2,

    /// <summary>Not applicable (turned off, or nothing to compare, e.g. no priced usage).</summary>
    Skipped = 3,
}

/// <summary>One readiness rule with the figure measured, its threshold and their unit.</summary>
/// <param name="Rule">Stable rule name (<c>agreement</c>, <c>minMatchRate</c>, <c>candidateSuccessRate</c>, <c>p95Latency</c>, <c>p95Ttft</c>, <c>cost</c>, <c>droppedRate</c>, <c>minCompared</c>).</param>
/// <param name="Outcome">Fail, insufficient data, pass or skipped.</param>
/// <param name="Measured">The figure measured (in <paramref name="Unit"/>); null when not measured.</param>
/// <param name="Threshold">The threshold it was held against (in <paramref name="Unit"/>); null when none applies.</param>
/// <param name="Unit"><c>%</c>, <c>ms</c>, <c>USD</c> or <c>count</c>.</param>
/// <param name="Reason">The sentence also listed in <c>reasons[]</c>.</param>
/// <param name="Needed">For insufficient data: how many more samples are needed.</param>
public sealed record RuleResult(string Rule, RuleOutcome Outcome, double? Measured, double? Threshold, string Unit, string Reason, long? Needed = null);
