using Migration.Core.Storage;

namespace Migration.Postgres.Storage;

internal sealed partial class PostgresRecordWriter
{
    /// <summary>
    /// The records taken from the queues for the next write, one list per table. Kept across a failed write so the
    /// same records are retried; each list is emptied as its table is written.
    /// </summary>
    private sealed class Batches(int capacity)
    {
        public List<ShadowResult> Shadow { get; } = new(capacity);

        public List<TrafficBucket> Buckets { get; } = new(capacity);

        // Attempts are rare (only requests on a fallback chain): grow on demand.
        public List<CandidateAttempt> Attempts { get; } = [];

        public int Count => Shadow.Count + Buckets.Count + Attempts.Count;

        public void Clear()
        {
            Shadow.Clear();
            Buckets.Clear();
            Attempts.Clear();
        }
    }
}
