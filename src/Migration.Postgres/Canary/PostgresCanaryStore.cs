using System.Data;
using System.Globalization;
using Migration.Core.Canary;
using Migration.Core.Reporting;
using Migration.Core.Statistics;
using Migration.Core.Storage;
using Migration.Postgres.Entities;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Postgres.Canary;

/// <summary>
/// <see cref="ICanaryStateStore"/> on PostgreSQL with plain Npgsql: the row is read <c>FOR UPDATE</c> inside the
/// transaction that writes the new state, the event and the <c>NOTIFY</c>, so concurrent writers (controller,
/// admin API, CLI) are serialised and every change reaches every listener exactly when it commits.
/// </summary>
internal sealed class PostgresCanaryStore : ICanaryStateStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly bool _ownsDataSource;

    public PostgresCanaryStore(NpgsqlDataSource dataSource, TimeProvider time, bool ownsDataSource = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _time = time;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>A store with a data source of its own on <paramref name="connectionString"/> (disposed with the store).</summary>
    public static PostgresCanaryStore Create(string connectionString, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new PostgresCanaryStore(NpgsqlDataSource.Create(connectionString), time, ownsDataSource: true);
    }

    public async Task<CanaryStoreState> GetAsync(string migration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var state = await ReadAsync(connection, null, migration, forUpdate: false, cancellationToken).ConfigureAwait(false);
        if (state is not null)
        {
            return state;
        }

        await EnsureRowAsync(connection, null, migration, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, migration, forUpdate: false, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The canary_state row '{migration}' vanished after it was created.");
    }

    public async Task<CanaryCommandOutcome> ApplyAsync(string migration, Func<CanaryState, CanaryDecision> decide, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var current = await LockAsync(connection, tx, migration, cancellationToken).ConfigureAwait(false);
        var decision = decide(current.State) ?? throw new InvalidOperationException("The decision function returned null.");
        if (decision.Kind == CanaryDecisionKind.Rejected)
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new CanaryCommandOutcome(decision, current, null);
        }

        var now = _time.GetUtcNow();
        if (!decision.Changed)
        {
            if (decision.Metrics is null)
            {
                // An accepted no-op command: nothing to record.
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new CanaryCommandOutcome(decision, current, null);
            }

            // An evaluation that changed nothing (hold): kept as the last decision so status shows why.
            var held = Record(decision, actor, now);
            await using (var update = new NpgsqlCommand("UPDATE canary_state SET last_decision = @d WHERE migration = @m", connection, tx))
            {
                update.Parameters.AddWithValue("m", migration);
                update.Parameters.Add(Json("d", CanaryJson.Serialize(held)));
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new CanaryCommandOutcome(decision, current with { LastDecision = held }, null);
        }

        // The stored version is authoritative: one more than what was locked, whatever the decision carried.
        var next = decision.Next with
        {
            Version = current.State.Version + 1,
            UpdatedAt = decision.Next.UpdatedAt ?? now,
        };
        var record = Record(decision, actor, now) with { State = next.Phase.ToName(), Weight = next.Weight };
        var eventId = await WriteChangeAsync(
            connection,
            tx,
            migration,
            current.State,
            next,
            record,
            actor,
            decision.Reason,
            CanaryJson.Serialize(decision.Metrics),
            now,
            cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CanaryCommandOutcome(decision, current with { State = next, LastDecision = record }, eventId);
    }

    public async Task<CanaryStoreState> SetShadowAsync(string migration, bool? enabled, double? sampleRate, string actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (sampleRate is { } rate && (double.IsNaN(rate) || rate < 0 || rate > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The shadow sample rate must be within 0..1.");
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var current = await LockAsync(connection, tx, migration, cancellationToken).ConfigureAwait(false);
        var newEnabled = enabled ?? current.ShadowEnabled;
        var newRate = sampleRate ?? current.ShadowSampleRate;
        var text = DescribeShadow(newEnabled, newRate);
        if (!string.IsNullOrWhiteSpace(reason))
        {
            text += ": " + reason.Trim();
        }

        var now = _time.GetUtcNow();
        await using var batch = new NpgsqlBatch(connection, tx);
        var update = new NpgsqlBatchCommand("UPDATE canary_state SET shadow_enabled = @e, shadow_sample_rate = @r WHERE migration = @m");
        update.Parameters.AddWithValue("m", migration);
        update.Parameters.Add(new NpgsqlParameter<bool?>("e", NpgsqlDbType.Boolean) { TypedValue = newEnabled });
        update.Parameters.Add(new NpgsqlParameter<double?>("r", NpgsqlDbType.Double) { TypedValue = newRate });
        batch.BatchCommands.Add(update);
        batch.BatchCommands.Add(InsertEvent(migration, now, current.State, current.State, actor, text, null));
        batch.BatchCommands.Add(Notify(migration));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current with { ShadowEnabled = newEnabled, ShadowSampleRate = newRate };
    }

    public async Task<long> RecordEventAsync(string migration, string actor, string reason, string? metricsJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentNullException.ThrowIfNull(reason);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(connection, null, migration, forUpdate: false, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            await EnsureRowAsync(connection, null, migration, cancellationToken).ConfigureAwait(false);
            current = await ReadAsync(connection, null, migration, forUpdate: false, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The canary_state row '{migration}' vanished after it was created.");
        }

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(InsertEvent(migration, _time.GetUtcNow(), current.State, current.State, actor, reason, metricsJson));
        return (long)(await batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public Task<IReadOnlyList<CanaryEventRecord>> GetEventsAsync(string migration, int limit, CancellationToken cancellationToken) =>
        ReadEventsAsync(migration, null, null, limit, cancellationToken);

    public Task<IReadOnlyList<CanaryEventRecord>> GetEventsBetweenAsync(string migration, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        ReadEventsAsync(migration, from, until, limit, cancellationToken);

    // Newest first without a window; oldest first within one.
    private async Task<IReadOnlyList<CanaryEventRecord>> ReadEventsAsync(string migration, DateTimeOffset? from, DateTimeOffset? until, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id, migration, time, from_state, to_state, from_weight, to_weight, actor, reason, metrics::text " +
            "FROM canary_events WHERE migration = @m " +
            // Provider status changes (health telemetry, possibly many) stay out of the canary's audit trail: the
            // report's providers section reads them (GetActorEventsAsync). Health switches stay in.
            "AND NOT (actor = @health AND coalesce(metrics->>'kind', '') = @status) " +
            (from is null ? "ORDER BY time DESC, id DESC LIMIT @n" : "AND time >= @from AND time < @until ORDER BY time, id LIMIT @n"),
            connection);
        command.Parameters.AddWithValue("m", migration);
        if (from is { } start)
        {
            command.Parameters.AddWithValue("from", CanarySql.Utc(start));
            command.Parameters.AddWithValue("until", CanarySql.Utc(until ?? DateTimeOffset.MaxValue));
        }

        command.Parameters.AddWithValue("health", HealthEventMetrics.Actor);
        command.Parameters.AddWithValue("status", HealthEventMetrics.StatusKind);
        command.Parameters.AddWithValue("n", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<CanaryEventRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new CanaryEventRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetDouble(5),
                reader.GetDouble(6),
                reader.GetString(7),
                reader.GetString(8),
                // A health switch carries provider numbers, not canary metrics: none rather than a row of zeros.
                reader.GetString(7) == HealthEventMetrics.Actor ? null : CanaryJson.Deserialize<CanaryMetrics>(reader.IsDBNull(9) ? null : reader.GetString(9))));
        }

        return events;
    }

    public async Task<IReadOnlyList<StoredEvent>> GetActorEventsAsync(string migration, string actor, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id, time, actor, reason, metrics::text FROM canary_events " +
            "WHERE migration = @m AND actor = @a AND (@since::timestamptz IS NULL OR time >= @since) " +
            "ORDER BY time DESC, id DESC LIMIT @n",
            connection);
        command.Parameters.AddWithValue("m", migration);
        command.Parameters.AddWithValue("a", actor);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("since", NpgsqlDbType.TimestampTz) { TypedValue = since?.ToUniversalTime() });
        command.Parameters.AddWithValue("n", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return events;
    }

    public async Task<IReadOnlyList<TrafficBucket>> GetBucketsAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT second, instance, arm, model, requests, successes, errors_timeout, errors_rate_limited, errors_server, " +
            "errors_client, errors_connection, fallbacks, errors_other, shadow_sampled, shadow_dropped, latency_hist, ttft_hist " +
            "FROM traffic_buckets WHERE second >= @from AND second < @until",
            connection);
        command.Parameters.AddWithValue("from", CanarySql.Utc(from));
        command.Parameters.AddWithValue("until", CanarySql.Utc(until));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var buckets = new List<TrafficBucket>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(new TrafficBucket
            {
                Second = reader.GetFieldValue<DateTimeOffset>(0),
                Instance = reader.GetString(1),
                Arm = StorageNames.ParseArm(reader.GetString(2)),
                Model = reader.GetString(3),
                Requests = reader.GetInt64(4),
                Successes = reader.GetInt64(5),
                ErrorsTimeout = reader.GetInt64(6),
                ErrorsRateLimited = reader.GetInt64(7),
                ErrorsServer = reader.GetInt64(8),
                ErrorsClient = reader.GetInt64(9),
                ErrorsConnection = reader.GetInt64(10),
                Fallbacks = reader.GetInt64(11),
                ErrorsOther = reader.GetInt64(12),
                ShadowSampled = reader.GetInt64(13),
                ShadowDropped = reader.GetInt64(14),
                Latency = Histogram(reader, 15),
                Ttft = Histogram(reader, 16),
            });
        }

        return buckets;
    }

    public async Task<DataFreshness> GetFreshnessAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT max(second) FROM traffic_buckets), (SELECT max(time) FROM shadow_results)", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DataFreshness(
            reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>The wire name of a decision kind: hold, advance, promote, rollback, command_applied, rejected.</summary>
    internal static string KindName(CanaryDecisionKind kind) => kind switch
    {
        CanaryDecisionKind.Hold => "hold",
        CanaryDecisionKind.Advance => "advance",
        CanaryDecisionKind.Promote => "promote",
        CanaryDecisionKind.Rollback => "rollback",
        CanaryDecisionKind.CommandApplied => "command_applied",
        CanaryDecisionKind.Rejected => "rejected",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static CanaryDecisionRecord Record(CanaryDecision decision, string actor, DateTimeOffset now) =>
        new(now, KindName(decision.Kind), actor, decision.Reason, decision.Next.Phase.ToName(), decision.Next.Weight, decision.Metrics);

    private static string DescribeShadow(bool? enabled, double? rate)
    {
        var on = enabled switch { true => "shadow enabled", false => "shadow disabled", null => "shadow as configured" };
        return rate is { } r ? on + ", sample rate " + r.ToString("0.####", CultureInfo.InvariantCulture) : on;
    }

    private static LatencyHistogram Histogram(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? new LatencyHistogram() : LatencyHistogram.FromBytes(reader.GetFieldValue<byte[]>(ordinal));

    private static NpgsqlParameter Json(string name, string? json) =>
        new(name, NpgsqlDbType.Jsonb) { Value = (object?)json ?? DBNull.Value };

    private static NpgsqlBatchCommand Notify(string migration)
    {
        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @m)");
        notify.Parameters.AddWithValue("channel", CanarySql.Channel);
        notify.Parameters.AddWithValue("m", migration);
        return notify;
    }

    private static NpgsqlBatchCommand InsertEvent(string migration, DateTimeOffset now, CanaryState from, CanaryState to, string actor, string reason, string? metricsJson)
    {
        var insert = new NpgsqlBatchCommand(
            "INSERT INTO canary_events (migration, time, from_state, to_state, from_weight, to_weight, actor, reason, metrics) " +
            "VALUES (@m, @t, @fs, @ts, @fw, @tw, @a, @r, @x) RETURNING id");
        insert.Parameters.AddWithValue("m", migration);
        insert.Parameters.AddWithValue("t", CanarySql.Utc(now));
        insert.Parameters.AddWithValue("fs", from.Phase.ToName());
        insert.Parameters.AddWithValue("ts", to.Phase.ToName());
        insert.Parameters.AddWithValue("fw", from.Weight);
        insert.Parameters.AddWithValue("tw", to.Weight);
        insert.Parameters.AddWithValue("a", actor);
        insert.Parameters.AddWithValue("r", reason);
        insert.Parameters.Add(Json("x", metricsJson));
        return insert;
    }

    private static async Task<long> WriteChangeAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        string migration,
        CanaryState previous,
        CanaryState next,
        CanaryDecisionRecord record,
        string actor,
        string reason,
        string? metricsJson,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        var update = new NpgsqlBatchCommand(
            "UPDATE canary_state SET state = @s, step_index = @i, weight = @w, paused = @p, version = @v, updated_at = @u, " +
            "reason = @r, step_started_at = @ss, last_decision = @d WHERE migration = @m AND version = @old");
        update.Parameters.AddWithValue("m", migration);
        update.Parameters.AddWithValue("s", next.Phase.ToName());
        update.Parameters.AddWithValue("i", next.StepIndex);
        update.Parameters.AddWithValue("w", next.Weight);
        update.Parameters.AddWithValue("p", next.Phase == CanaryPhase.Paused);
        update.Parameters.AddWithValue("v", next.Version);
        update.Parameters.AddWithValue("u", CanarySql.Utc(next.UpdatedAt ?? now));
        update.Parameters.AddWithValue("r", next.Reason);
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("ss", NpgsqlDbType.TimestampTz) { TypedValue = next.StepStartedAt?.ToUniversalTime() });
        update.Parameters.Add(Json("d", CanaryJson.Serialize(record)));
        update.Parameters.AddWithValue("old", previous.Version);
        batch.BatchCommands.Add(update);
        batch.BatchCommands.Add(InsertEvent(migration, now, previous, next, actor, reason, metricsJson));
        batch.BatchCommands.Add(Notify(migration));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (update.RecordsAffected != 1)
        {
            // Cannot happen while the row is locked; guards the invariant rather than silently losing an update.
            throw new DBConcurrencyException($"The canary_state row '{migration}' changed while locked (version {previous.Version}).");
        }

        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var id = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async Task<CanaryStoreState> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string migration, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(connection, tx, migration, forUpdate: true, cancellationToken).ConfigureAwait(false);
        if (state is not null)
        {
            return state;
        }

        await EnsureRowAsync(connection, tx, migration, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, tx, migration, forUpdate: true, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The canary_state row '{migration}' vanished after it was created.");
    }

    private async Task EnsureRowAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string migration, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CanarySql.EnsureRow, connection, tx);
        command.Parameters.AddWithValue("m", migration);
        command.Parameters.AddWithValue("now", _time.GetUtcNow().ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CanaryStoreState?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string migration, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT " + CanarySql.StateColumns.Replace("last_decision", "last_decision::text", StringComparison.Ordinal) +
            " FROM canary_state WHERE migration = @m" + (forUpdate ? " FOR UPDATE" : string.Empty),
            connection,
            tx);
        command.Parameters.AddWithValue("m", migration);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var stateName = reader.GetString(1);
        var snapshot = new CanaryStateSnapshot
        {
            State = stateName,
            StepIndex = reader.GetInt32(2),
            Weight = reader.GetDouble(3),
            PausedFrom = stateName == CanaryPhaseNames.Paused ? CanaryPhaseNames.Ramping : null,
            Version = reader.GetInt64(5),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
            Reason = reader.IsDBNull(7) ? string.Empty : reader.GetString(7),
            StepStartedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        };
        return new CanaryStoreState
        {
            Migration = reader.GetString(0),
            State = CanaryState.FromSnapshot(snapshot),
            ShadowEnabled = reader.IsDBNull(9) ? null : reader.GetBoolean(9),
            ShadowSampleRate = reader.IsDBNull(10) ? null : reader.GetDouble(10),
            LeaderInstance = reader.IsDBNull(11) ? null : reader.GetString(11),
            LeaderHeartbeatAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            LastDecision = CanaryJson.Deserialize<CanaryDecisionRecord>(reader.IsDBNull(13) ? null : reader.GetString(13)),
        };
    }
}
