using Migration.Core.Canary;

namespace Migration.Core.Storage;

/// <summary>
/// The canary's shared state (one row per migration, key <see cref="DefaultMigration"/>) and its audit trail.
/// Used by the controller and flag provider of every web instance and by <c>migrationctl</c>; implemented by
/// <c>Migration.Postgres</c> (<c>AddMigrationPostgresCanary</c>). Every change is one transaction: state row, event
/// row and a change notification (<see cref="ICanaryChangeNotifications"/>) together.
/// </summary>
public interface ICanaryStateStore
{
    /// <summary>The key of the single default migration.</summary>
    const string DefaultMigration = "default";

    /// <summary>The current state; creates the default (idle) row when missing.</summary>
    Task<CanaryStoreState> GetAsync(string migration, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> on the current state while holding the row lock, and stores the outcome:
    /// a changed state is written with an event row (<paramref name="actor"/>, the decision's reason and metrics)
    /// and a notification; an unchanged evaluation only records itself as the last decision; a
    /// <see cref="CanaryDecisionKind.Rejected"/> decision writes nothing. Concurrent calls are serialised, so no
    /// update is lost. <paramref name="decide"/> must be pure (it may run on a fresher state than the caller saw).
    /// </summary>
    Task<CanaryCommandOutcome> ApplyAsync(string migration, Func<CanaryState, CanaryDecision> decide, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the run-time shadow switch and/or sample rate (null leaves a value as it is), with an event row and a
    /// notification. <paramref name="sampleRate"/> must be within 0..1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> is outside 0..1.</exception>
    Task<CanaryStoreState> SetShadowAsync(string migration, bool? enabled, double? sampleRate, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Appends an audit event that changes no state (e.g. an automatic failover by actor <c>health</c>): from and to
    /// are the current state and weight; <paramref name="metricsJson"/> (a JSON object, may be null) is stored as the
    /// event's metrics. Returns the event id.
    /// </summary>
    Task<long> RecordEventAsync(string migration, string actor, string reason, string? metricsJson, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not record free-standing events.");

    /// <summary>The newest <paramref name="limit"/> events, newest first.</summary>
    /// <remarks>
    /// Provider status changes recorded by health monitoring (actor <c>health</c>, metrics kind <c>status</c>) are not
    /// part of this audit trail; read them with <see cref="GetActorEventsAsync"/>. Automatic switches are.
    /// </remarks>
    Task<IReadOnlyList<CanaryEventRecord>> GetEventsAsync(string migration, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The audit events (as <see cref="GetEventsAsync"/> lists them) recorded in [<paramref name="from"/>,
    /// <paramref name="until"/>), oldest first, at most <paramref name="limit"/>.
    /// </summary>
    async Task<IReadOnlyList<CanaryEventRecord>> GetEventsBetweenAsync(string migration, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        var newest = await GetEventsAsync(migration, 10_000, cancellationToken).ConfigureAwait(false);
        return [.. newest.Where(e => e.Time >= from && e.Time < until).Reverse().Take(limit)];
    }

    /// <summary>
    /// The newest <paramref name="limit"/> events of <paramref name="actor"/> recorded at or after
    /// <paramref name="since"/> (null: any time), newest first, with their metrics JSON as stored (e.g. the health
    /// events of <see cref="Reporting.HealthEventMetrics.Actor"/>, whose metrics are not <see cref="CanaryMetrics"/>).
    /// A store that does not keep such events returns none.
    /// </summary>
    Task<IReadOnlyList<Reporting.StoredEvent>> GetActorEventsAsync(string migration, string actor, DateTimeOffset? since, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Reporting.StoredEvent>>([]);

    /// <summary>
    /// Traffic buckets of all instances, arms and models whose second lies in [<paramref name="from"/>,
    /// <paramref name="until"/>); merge them with <see cref="WindowStats.FromBuckets(IEnumerable{TrafficBucket}, Exchange.TrafficArm, DateTimeOffset, DateTimeOffset)"/>.
    /// </summary>
    Task<IReadOnlyList<TrafficBucket>> GetBucketsAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>When the newest traffic bucket and shadow result were recorded (data freshness for status pages).</summary>
    Task<DataFreshness> GetFreshnessAsync(CancellationToken cancellationToken);
}
