namespace Migration.Core.Storage;

/// <summary>
/// What a shadow row compares (column <c>kind</c> of <c>shadow_results</c>): the primary's production answer against
/// the candidate's, or against a second answer of the primary itself (the noise floor). Report figures of the candidate
/// are taken over <see cref="Candidate"/> rows only; <see cref="Noise"/> rows give the primary's own consistency.
/// </summary>
public enum ShadowKind
{
    /// <summary>Primary vs candidate (the default).</summary>
    Candidate = 0,

    /// <summary>Primary vs the primary asked a second time with the same request.</summary>
    Noise = 1,
}
