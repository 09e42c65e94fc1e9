namespace Migration.Core.Storage;

/// <summary>
/// Where the harness hands its records. Implementations buffer and write in batches; they must never block
/// the caller: when full they drop and count. Registered by a storage package (e.g. <c>AddMigrationPostgres</c>).
/// </summary>
public interface IRecordSink
{
    /// <summary>Queues a shadow result; false when it was dropped (buffer full).</summary>
    bool TryWrite(ShadowResult result);

    /// <summary>Queues a traffic bucket; false when it was dropped (buffer full).</summary>
    bool TryWrite(TrafficBucket bucket);

    /// <summary>
    /// Queues one attempt of a fallback model chain; false when it was dropped. A sink that does not store attempts
    /// drops them (the default).
    /// </summary>
    bool TryWrite(CandidateAttempt attempt) => false;

    /// <summary>Counts so far: produced = written + dropped + pending.</summary>
    RecordSinkStats Stats { get; }
}

/// <summary>Counters of a record sink.</summary>
/// <param name="Produced">Records handed to the sink.</param>
/// <param name="Written">Records stored.</param>
/// <param name="Dropped">Records dropped (buffer full, or given up after retries).</param>
/// <param name="Pending">Records waiting in the buffer.</param>
/// <param name="Failures">Failed write attempts (each retried).</param>
public readonly record struct RecordSinkStats(long Produced, long Written, long Dropped, long Pending, long Failures);
