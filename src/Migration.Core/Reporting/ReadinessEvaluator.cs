namespace Migration.Core.Reporting;

/// <summary>Applies <see cref="ReadinessOptions"/> to shadow figures.</summary>
public static class ReadinessEvaluator
{
    /// <summary>The recommendation and one reason per rule (met or not), naming the numbers.</summary>
    public static (Recommendation Recommendation, IReadOnlyList<string> Reasons) Evaluate(ShadowStats stats, ReadinessOptions options)
    {
        // Placeholder until the Core readiness rules land (issue 4): keeps the contract compiling.
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException();
    }

    /// <summary><c>READY</c>, <c>NEEDS_TUNING</c> or <c>INSUFFICIENT_DATA</c>.</summary>
    public static string ToWireName(Recommendation recommendation) => recommendation switch
    {
        Recommendation.Ready => "READY",
        Recommendation.NeedsTuning => "NEEDS_TUNING",
        _ => "INSUFFICIENT_DATA",
    };
}
