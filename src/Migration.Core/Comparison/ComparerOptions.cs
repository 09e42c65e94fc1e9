namespace Migration.Core.Comparison;

/// <summary>Thresholds of <see cref="DefaultResponseComparer"/> (configuration section <c>Migration:Comparison</c>).</summary>
public sealed class ComparerOptions
{
    /// <summary>Lowest lexical similarity (0..1) still judged <see cref="Verdict.Similar"/>; also the embeddings cosine threshold. Default 0.8.</summary>
    public double SimilarThreshold { get; set; } = 0.8;

    /// <summary>Whether usage differences are named in the diff summary (they never change the verdict). Default true.</summary>
    public bool CompareUsage { get; set; } = true;

    /// <summary>Embeddings: lowest cosine similarity judged <see cref="Verdict.Exact"/>. Default 0.9999.</summary>
    public double EmbeddingExactCosine { get; set; } = 0.9999;

    /// <summary>Embeddings: lowest cosine similarity judged <see cref="Verdict.Equivalent"/>. Default 0.99.</summary>
    public double EmbeddingEquivalentCosine { get; set; } = 0.99;

    /// <summary>
    /// Normalised texts up to this many characters (both sides) are scored by character edit distance, longer
    /// ones by word unigram + bigram F1. Default 64.
    /// </summary>
    public int ShortTextChars { get; set; } = 64;
}
