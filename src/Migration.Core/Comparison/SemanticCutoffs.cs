namespace Migration.Core.Comparison;

/// <summary>
/// The cosine cut-offs of the semantic tier for one embedding model: at or above <see cref="Equivalent"/> a pair is
/// <see cref="Verdict.Equivalent"/>, at or above <see cref="Similar"/> <see cref="Verdict.Similar"/>, below it
/// <see cref="Verdict.Different"/>. Cut-offs belong to a model (two good models' best cut-offs differ by ~0.13 on the
/// same data): configure them per model id under <c>Migration:Shadow:Semantic:Thresholds</c>.
/// </summary>
public sealed class SemanticCutoffs
{
    /// <summary>Lowest chunked cosine judged <see cref="Verdict.Similar"/>. Default 0.80 (all-MiniLM-L6-v2, see docs/comparison.md).</summary>
    public double Similar { get; set; } = 0.80;

    /// <summary>Lowest chunked cosine judged <see cref="Verdict.Equivalent"/>. Default 0.97.</summary>
    public double Equivalent { get; set; } = 0.97;

    /// <summary>The verdict of a chunked cosine: equivalent, similar or different (never exact: the texts were not equal).</summary>
    public Verdict VerdictOf(double score) =>
        score >= Equivalent ? Verdict.Equivalent : score >= Similar ? Verdict.Similar : Verdict.Different;
}
