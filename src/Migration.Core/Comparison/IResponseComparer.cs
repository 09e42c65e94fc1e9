using Migration.Core.OpenAI;

namespace Migration.Core.Comparison;

/// <summary>
/// Compares two answers to the same request: the primary's and the candidate's (or, for a noise floor, two answers
/// of the primary). Replace it (register your own) to compare differently.
/// </summary>
public interface IResponseComparer
{
    /// <summary>Compares two answers without request information.</summary>
    ComparisonResult Compare(ProviderAnswer primary, ProviderAnswer candidate);

    /// <summary>Compares two answers knowing what the request asked for (e.g. JSON mode).</summary>
    ComparisonResult Compare(ProviderAnswer primary, ProviderAnswer candidate, ComparisonContext context) => Compare(primary, candidate);
}
