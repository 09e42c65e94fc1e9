using Migration.Core.OpenAI;

namespace Migration.Core.Comparison;

/// <summary>
/// Compares the primary's and the candidate's answers to the same request. Replace it (register your own)
/// to compare by embeddings or a judge model.
/// </summary>
public interface IResponseComparer
{
    /// <summary>Compares two answers.</summary>
    ComparisonResult Compare(ProviderAnswer primary, ProviderAnswer candidate);
}

/// <summary>The result of a comparison.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Score">Similarity in [0,1]; null when nothing could be compared (errors).</param>
/// <param name="DiffSummaryJson">A short JSON object naming what differs; null when nothing does.</param>
public sealed record ComparisonResult(Verdict Verdict, double? Score, string? DiffSummaryJson);
