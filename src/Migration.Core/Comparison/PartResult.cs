namespace Migration.Core.Comparison;

/// <summary>The verdict of one compared part (a choice's content, a tool call, a JSON value), with the tier that decided it.</summary>
internal readonly record struct PartResult(Verdict Verdict, ComparisonTier Tier, double Score)
{
    public static PartResult Exact { get; } = new(Verdict.Exact, ComparisonTier.Exact, 1.0);

    public static PartResult Equivalent { get; } = new(Verdict.Equivalent, ComparisonTier.Normalized, 1.0);

    /// <summary>Decided by structure: different, score 0.</summary>
    public static PartResult StructureDifferent { get; } = new(Verdict.Different, ComparisonTier.Structure, 0.0);

    /// <summary>
    /// The worse of two parts: the worse verdict; with equal verdicts the lower score; with equal scores the earlier
    /// tier (structure before lexical), so a structural failure is never handed to a semantic re-score.
    /// </summary>
    public static PartResult Worst(PartResult a, PartResult b)
    {
        if (a.Verdict != b.Verdict)
        {
            return a.Verdict > b.Verdict ? a : b;
        }

        if (a.Score != b.Score)
        {
            return a.Score < b.Score ? a : b;
        }

        return a.Tier <= b.Tier ? a : b;
    }
}
