namespace Migration.Core.Comparison;

/// <summary>The result of a comparison.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Score">The deciding tier's score in [0,1]; null when nothing could be compared (errors).</param>
/// <param name="DiffSummaryJson">A short JSON object naming what differs; null when nothing does.</param>
public sealed record ComparisonResult(Verdict Verdict, double? Score, string? DiffSummaryJson)
{
    /// <summary>The tier that decided; null for <see cref="Verdict.Error"/> (nothing was compared).</summary>
    public ComparisonTier? Tier { get; init; }

    /// <summary>
    /// The prose pairs the lexical tier decided, for a semantic tier to re-score (see <c>SemanticScorer</c>). Empty
    /// unless <see cref="Tier"/> is <see cref="ComparisonTier.Lexical"/>: a verdict fixed by structure (a changed
    /// number, code, JSON shape, finish reason) cannot be improved by prose similarity and asks for nothing.
    /// </summary>
    public IReadOnlyList<TextPair> SemanticPairs { get; init; } = [];

    /// <summary>True when a semantic tier has pairs to re-score.</summary>
    public bool WantsSemantic => Tier == ComparisonTier.Lexical && SemanticPairs.Count > 0;
}
