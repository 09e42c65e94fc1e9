namespace Migration.Core.Comparison;

/// <summary>
/// The comparison tier that decided a verdict (stored per row beside <c>match_score</c>, whose value is this tier's
/// score). Tiers run in this order; the first decisive one wins.
/// </summary>
public enum ComparisonTier
{
    /// <summary>Statuses, kinds, choice counts, finish reasons, refusals, tool call names, JSON shapes, numbers and code blocks (score 0 when it decides).</summary>
    Structure = 0,

    /// <summary>Byte-equal content (score 1).</summary>
    Exact = 1,

    /// <summary>Equal after normalising whitespace, case, Unicode forms and punctuation outside numbers (score 1).</summary>
    Normalized = 2,

    /// <summary>Word / character overlap (<see cref="LexicalSimilarity"/>): the score until a semantic tier re-scores the pair.</summary>
    Lexical = 3,

    /// <summary>Cosine of sentence embeddings (chunked), against the embedding model's threshold.</summary>
    Semantic = 4,

    /// <summary>A judge model (reserved for the optional judge).</summary>
    Judge = 5,

    /// <summary>Embedding answers (<c>/v1/embeddings</c>): the cosine of the returned vectors.</summary>
    Vector = 6,
}
