namespace Migration.AspNetCore.Routing;

/// <summary>How an attempt of a fallback chain ended (the stored <c>outcome</c> of <c>candidate_attempts</c>).</summary>
internal static class AttemptOutcome
{
    public const string Served = "served";
    public const string NextModel = "next_model";
    public const string Retry = "retry";
    public const string FellBack = "fell_back";
    public const string FailedAfterCommit = "failed_after_commit";
    public const string ClientAborted = "client_aborted";
}
