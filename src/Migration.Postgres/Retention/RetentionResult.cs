namespace Migration.Postgres.Retention;

/// <summary>Rows deleted by a retention run (canary events are an audit trail and are kept).</summary>
public sealed record RetentionResult(long ShadowResultsDeleted, long TrafficBucketsDeleted, long CandidateAttemptsDeleted)
{
    /// <summary>DELETE statements the run took (each at most the batch size).</summary>
    public int Batches { get; init; }
}
