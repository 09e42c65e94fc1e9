namespace Migration.AspNetCore.Routing;

/// <summary>
/// What <see cref="CandidateForwarder.StartAsync"/> got: the candidate's answer with its first bytes in (to commit),
/// or why there is none (fall back to the primary, or the caller is gone).
/// </summary>
internal readonly record struct CandidateStart(CandidateAnswer? Answer, CandidateForwardResult? Failure)
{
    public static CandidateStart Committable(CandidateAnswer answer) => new(answer, null);

    public static CandidateStart Failed(CandidateForwardResult failure) => new(null, failure);
}
