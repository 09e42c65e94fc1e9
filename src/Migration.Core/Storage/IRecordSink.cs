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

    /// <summary>The dropped records of <see cref="Stats"/> by reason (they add up to <see cref="RecordSinkStats.Dropped"/>).</summary>
    RecordSinkDrops Drops => new(Stats.Dropped, 0, 0, 0);
}

/// <summary>Records a sink dropped, by reason; each is counted once.</summary>
/// <param name="BufferFull">Refused because the buffer was full.</param>
/// <param name="Rejected">Rows the database refuses for good (poison rows: too large for an index, invalid text, a constraint).</param>
/// <param name="SchemaMissing">Records whose table or column is missing (the database was not migrated).</param>
/// <param name="Stopped">Handed over after the sink stopped, or not written within its stop timeout.</param>
public readonly record struct RecordSinkDrops(long BufferFull, long Rejected, long SchemaMissing, long Stopped)
{
    /// <summary>All of them.</summary>
    public long Total => BufferFull + Rejected + SchemaMissing + Stopped;
}

/// <summary>
/// Something that hands records to a sink and has work in flight when the host stops (the shadow queue, the traffic
/// aggregator's last second). The sink's stop first awaits every registered producer's <see cref="CompleteAsync"/>,
/// in registration order, then writes what it holds, so nothing queued is lost to the order hosted services stop in.
/// </summary>
public interface IRecordProducer
{
    /// <summary>
    /// Finishes the work in flight and hands its records to the sink, within the producer's own time bound; what does
    /// not finish is dropped and counted. Idempotent; never throws except for <paramref name="cancellationToken"/>.
    /// </summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>Counters of a record sink.</summary>
/// <param name="Produced">Records handed to the sink.</param>
/// <param name="Written">Records stored.</param>
/// <param name="Dropped">Records dropped (buffer full, or given up after retries).</param>
/// <param name="Pending">Records waiting in the buffer.</param>
/// <param name="Failures">Failed write attempts (each retried).</param>
public readonly record struct RecordSinkStats(long Produced, long Written, long Dropped, long Pending, long Failures);
