namespace Migration.Core.Comparison;

/// <summary>The semantic score of one pair of texts.</summary>
/// <param name="Score">
/// The chunked cosine in [0,1]: over every paragraph of both sides, the lowest of its best cosine against the other
/// side's paragraphs (see <see cref="SemanticScorer"/>).
/// </param>
/// <param name="Chunks">Paragraphs embedded (both sides).</param>
public readonly record struct SemanticScore(double Score, int Chunks);
