using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.Core.Storage;
using Npgsql;

namespace Migration.Postgres.Storage;

/// <summary>
/// Buffers records (shadow results, traffic buckets, candidate attempts) in memory and writes them with binary COPY,
/// on a full batch or every flush interval. The <c>TryWrite</c> methods never block: beyond the buffer capacity the newest records are dropped
/// and counted. While PostgreSQL is down the current batch is kept and retried with capped exponential backoff.
/// At all times produced = written + dropped + pending.
/// </summary>
internal sealed partial class PostgresRecordWriter : IRecordSink, IHostedService, IAsyncDisposable
{
    private readonly MigrationDataSource _dataSource;
    private readonly PostgresStorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<ShadowResult> _shadowQueue = new();
    private readonly ConcurrentQueue<TrafficBucket> _bucketQueue = new();
    private readonly ConcurrentQueue<CandidateAttempt> _attemptQueue = new();
    private readonly SemaphoreSlim _batchReady = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lifecycle = new();
    private readonly ConcurrentDictionary<(string RecordType, string SqlState), byte> _poisonLogged = new();
    private CancellationToken _stopDeadline;
    private Task? _loop;
    private long _produced;
    private long _written;
    private long _dropped;
    private long _droppedBufferFull;
    private long _droppedRejected;
    private long _droppedSchema;
    private long _droppedStopped;
    private int _producersCompleted;
    private long _pending;
    private long _failures;
    private long _droppedReported;
    private int _batchSignalled;
    private int _disposed;
    private volatile bool _completed;

    private readonly IServiceProvider? _services;

    /// <param name="services">Where the <see cref="IRecordProducer"/>s are found at stop (resolved then, not now: they depend on this sink).</param>
    public PostgresRecordWriter(
        MigrationDataSource dataSource, IOptions<PostgresStorageOptions> options, TimeProvider time, ILogger<PostgresRecordWriter> logger, IServiceProvider? services = null)
    {
        _services = services;
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public RecordSinkStats Stats => new(
        Interlocked.Read(ref _produced),
        Interlocked.Read(ref _written),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _pending),
        Interlocked.Read(ref _failures));

    public RecordSinkDrops Drops => new(
        Interlocked.Read(ref _droppedBufferFull),
        Interlocked.Read(ref _droppedRejected),
        Interlocked.Read(ref _droppedSchema),
        Interlocked.Read(ref _droppedStopped));

    public bool TryWrite(ShadowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!Reserve())
        {
            return false;
        }

        _shadowQueue.Enqueue(result);
        return true;
    }

    public bool TryWrite(TrafficBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (!Reserve(priority: true))
        {
            return false;
        }

        _bucketQueue.Enqueue(bucket);
        return true;
    }

    public bool TryWrite(CandidateAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!Reserve())
        {
            return false;
        }

        _attemptQueue.Enqueue(attempt);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            if (_loop is null && !_completed)
            {
                _loop = Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Lets every <see cref="IRecordProducer"/> finish first (the shadow queue drains, the last traffic second is
    /// handed over), then stops taking records, writes what is left within <see cref="PostgresStorageOptions.StopTimeout"/>,
    /// drops and counts the rest.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await CompleteProducersAsync(cancellationToken).ConfigureAwait(false);
        Task? loop;
        lock (_lifecycle)
        {
            loop = _loop;
            if (loop is null)
            {
                // Never started: start just to drain what was buffered.
                if (_completed)
                {
                    return;
                }

                _loop = loop = Task.Run(RunAsync, CancellationToken.None);
            }

            _stopDeadline = cancellationToken;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
    }

    private async Task CompleteProducersAsync(CancellationToken cancellationToken)
    {
        if (_services is null || Interlocked.Exchange(ref _producersCompleted, 1) != 0)
        {
            return;
        }

        IEnumerable<IRecordProducer> producers;
        try
        {
            producers = _services.GetServices<IRecordProducer>();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        foreach (var producer in producers)
        {
            try
            {
                await producer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ProducerFailed(_logger, producer.GetType().Name, ex);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>). Idempotent: the container may dispose it once per registration.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Room kept for traffic buckets above <see cref="PostgresStorageOptions.BufferCapacity"/>: the controller's rollback
    /// reads them, so shadow rows and attempts filling the buffer never crowd them out.
    /// </summary>
    internal int BucketReserve => Math.Max(100, _options.BufferCapacity / 10);

    private bool Reserve(bool priority = false)
    {
        Interlocked.Increment(ref _produced);
        if (_completed)
        {
            Interlocked.Increment(ref _droppedStopped);
            Interlocked.Increment(ref _dropped);
            return false;
        }

        var pending = Interlocked.Increment(ref _pending);
        if (pending > _options.BufferCapacity + (priority ? BucketReserve : 0))
        {
            Interlocked.Increment(ref _droppedBufferFull);
            Interlocked.Increment(ref _dropped);
            Interlocked.Decrement(ref _pending);
            return false;
        }

        if (pending >= _options.BatchSize && Interlocked.Exchange(ref _batchSignalled, 1) == 0)
        {
            _batchReady.Release();
        }

        return true;
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        var batches = new Batches(_options.BatchSize);
        var attempt = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (attempt > 0)
                {
                    await Task.Delay(Backoff(attempt), _time, stopping).ConfigureAwait(false);
                }
                else if (Interlocked.Read(ref _pending) < _options.BatchSize)
                {
                    await WaitForBatchOrIntervalAsync(stopping).ConfigureAwait(false);
                }

                ReportDrops();
                if (Interlocked.Read(ref _pending) == 0)
                {
                    continue;
                }

                Fill(batches);
                attempt = await TryFlushAsync(batches, attempt, stopping).ConfigureAwait(false) ? 0 : attempt + 1;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: drain below.
        }

        await DrainAsync(batches).ConfigureAwait(false);
    }

    private async Task WaitForBatchOrIntervalAsync(CancellationToken stopping)
    {
        // Forget signals of batches already written, then wait for a new full batch or the interval.
        while (_batchReady.Wait(0, CancellationToken.None))
        {
        }

        Volatile.Write(ref _batchSignalled, 0);
        if (Interlocked.Read(ref _pending) >= _options.BatchSize)
        {
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var interval = Task.Delay(_options.FlushInterval, _time, wait.Token);
        var batch = _batchReady.WaitAsync(wait.Token);
        var first = await Task.WhenAny(interval, batch).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
        await first.ConfigureAwait(false);
    }

    /// <summary>Tops every batch up to the batch size from its queue (a batch kept after a failure keeps its records).</summary>
    private void Fill(Batches batches)
    {
        Take(_shadowQueue, batches.Shadow);
        Take(_bucketQueue, batches.Buckets);
        Take(_attemptQueue, batches.Attempts);
    }

    private void Take<T>(ConcurrentQueue<T> queue, List<T> batch)
    {
        while (batch.Count < _options.BatchSize && queue.TryDequeue(out var record))
        {
            batch.Add(record);
        }
    }

    /// <summary>
    /// Writes every batch, each emptied once written; false when PostgreSQL failed and what is left must be retried
    /// (batches written before the failure are not written again).
    /// </summary>
    private async Task<bool> TryFlushAsync(Batches batches, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // Buckets first: the controller's decisions depend on them, shadow rows can wait for the next round.
            await WriteAsync(connection, batches.Buckets, RecordCopy.CopyAsync, cancellationToken).ConfigureAwait(false);
            await WriteAsync(connection, batches.Shadow, RecordCopy.CopyAsync, cancellationToken).ConfigureAwait(false);
            await WriteAsync(connection, batches.Attempts, RecordCopy.CopyAsync, cancellationToken).ConfigureAwait(false);

            if (attempt > 0)
            {
                Log.Resumed(_logger, attempt);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            var delay = Backoff(attempt + 1);
            Log.WriteFailed(_logger, batches.Count, attempt + 1, delay.TotalMilliseconds, ex.GetType().Name, ex.Message, attempt == 0 ? ex : null);
            return false;
        }
    }

    private async Task WriteAsync<T>(
        NpgsqlConnection connection,
        List<T> batch,
        Func<NpgsqlConnection, IReadOnlyList<T>, CancellationToken, Task<ulong>> copy,
        CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await copy(connection, batch, cancellationToken).ConfigureAwait(false);
            Completed(batch.Count, written: true);
            batch.Clear();
        }
        catch (PostgresException ex) when (IsSchemaError(ex))
        {
            // The table (or a column) is missing: the database was not migrated for this version. Retrying would not
            // help until someone migrates, and would hold back (and at last crowd out) the other tables' records,
            // the traffic buckets the canary controller reads among them: drop this batch, count it, say what to do.
            Log.SchemaMissing(_logger, batch.Count, typeof(T).Name, ex.SqlState, ex.MessageText);
            Interlocked.Add(ref _droppedSchema, batch.Count);
            Completed(batch.Count, written: false);
            batch.Clear();
        }
        catch (PostgresException ex) when (!ex.IsTransient)
        {
            // A batch the server refuses for good (a value too large for an index, invalid JSON, a constraint, a
            // privilege) would fail every retry and hold back every later record, the traffic buckets the controller
            // needs among them: find the rows it refuses by halving, write the others, drop and count those.
            Log.BadBatch(_logger, batch.Count, ex.SqlState, ex.MessageText);
            await WriteIsolatingAsync(connection, batch, copy, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <paramref name="batch"/> in ever smaller ranges, left to right, so the rows handled always form a
    /// prefix: on a transient failure that prefix is removed and the rest kept for the retry.
    /// </summary>
    private async Task WriteIsolatingAsync<T>(
        NpgsqlConnection connection,
        List<T> batch,
        Func<NpgsqlConnection, IReadOnlyList<T>, CancellationToken, Task<ulong>> copy,
        CancellationToken cancellationToken)
    {
        var done = 0;
        var ranges = new Stack<(int Start, int Count)>();
        ranges.Push((0, batch.Count));
        try
        {
            while (ranges.TryPop(out var range))
            {
                try
                {
                    await copy(connection, batch.GetRange(range.Start, range.Count), cancellationToken).ConfigureAwait(false);
                    Completed(range.Count, written: true);
                    done += range.Count;
                }
                catch (PostgresException rowError) when (!rowError.IsTransient)
                {
                    if (range.Count == 1)
                    {
                        Poisoned(typeof(T).Name, rowError);
                        Interlocked.Increment(ref _droppedRejected);
                        Completed(1, written: false);
                        done++;
                        continue;
                    }

                    var half = range.Count / 2;
                    ranges.Push((range.Start + half, range.Count - half));
                    ranges.Push((range.Start, half));
                }
            }
        }
        finally
        {
            batch.RemoveRange(0, done);
        }
    }

    /// <summary>Counts a row PostgreSQL refuses; logged once per record type and SQLSTATE (with the fix), counted always.</summary>
    private void Poisoned(string recordType, PostgresException ex)
    {
        if (_poisonLogged.TryAdd((recordType, ex.SqlState), 0))
        {
            Log.RowDropped(_logger, recordType, ex.SqlState, ex.MessageText, FixFor(ex.SqlState));
        }
    }

    private static string FixFor(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.ProgramLimitExceeded =>
            "a value is larger than an index allows; labels read from clients are capped at the source, so report which field and value kind reached the database",
        _ when sqlState.StartsWith("22", StringComparison.Ordinal) =>
            "the row holds data the column type refuses (invalid text or JSON); report the record type and field",
        _ when sqlState.StartsWith("23", StringComparison.Ordinal) =>
            "the row breaks a constraint; check that the schema matches this version (`migrationctl db migrate`)",
        _ when sqlState.StartsWith("42", StringComparison.Ordinal) =>
            "the schema or the privileges do not match this version: run `migrationctl db migrate` and grant INSERT on the harness tables",
        _ => "PostgreSQL refuses these rows for good; see its message, fix the cause, the writer goes on writing the other records",
    };

    private async Task DrainAsync(Batches batches)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopDeadline);
        deadline.CancelAfter(_options.StopTimeout);
        var attempt = 0;
        try
        {
            while (true)
            {
                Fill(batches);
                if (batches.Count == 0)
                {
                    break;
                }

                if (await TryFlushAsync(batches, attempt, deadline.Token).ConfigureAwait(false))
                {
                    attempt = 0;
                    continue;
                }

                attempt++;
                // Real time on purpose: the stop deadline is wall-clock (a host shutting down), even under a fake clock.
                await Task.Delay(Backoff(attempt), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Deadline reached: what is left is dropped below.
        }

        _completed = true;
        var left = batches.Count + Discard(_shadowQueue) + Discard(_bucketQueue) + Discard(_attemptQueue);
        batches.Clear();

        if (left > 0)
        {
            Interlocked.Add(ref _droppedStopped, left);
            Completed(left, written: false);
            Log.DroppedAtStop(_logger, left, _options.StopTimeout.TotalSeconds);
        }

        ReportDrops();
    }

    private static int Discard<T>(ConcurrentQueue<T> queue)
    {
        var count = 0;
        while (queue.TryDequeue(out _))
        {
            count++;
        }

        return count;
    }

    private void Completed(int count, bool written)
    {
        Interlocked.Add(ref written ? ref _written : ref _dropped, count);
        Interlocked.Add(ref _pending, -count);
    }

    private void ReportDrops()
    {
        var dropped = Interlocked.Read(ref _dropped);
        var reported = Interlocked.Exchange(ref _droppedReported, dropped);
        if (dropped > reported)
        {
            Log.Dropped(_logger, dropped - reported, dropped, _options.BufferCapacity);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryMinDelay.Ticks * factor, _options.RetryMaxDelay.Ticks));
        return delay < _options.RetryMinDelay ? _options.RetryMinDelay : delay;
    }

    /// <summary>Undefined table or column: the schema is older than the code (not migrated).</summary>
    private static bool IsSchemaError(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Writing {Count} records to PostgreSQL failed (attempt {Attempt}); keeping them and retrying in {DelayMs} ms. {ErrorType}: {ErrorMessage}", EventName = "StorageWriteFailed")]
        public static partial void WriteFailed(ILogger logger, int count, int attempt, double delayMs, string errorType, string errorMessage, Exception? exception);

        [LoggerMessage(2, LogLevel.Information, "Writing to PostgreSQL resumed after {Attempts} failed attempts.", EventName = "StorageWriteResumed")]
        public static partial void Resumed(ILogger logger, int attempts);

        [LoggerMessage(3, LogLevel.Warning, "Dropped {Count} records (total {Total}): the storage buffer is full ({Capacity} records).", EventName = "StorageRecordsDropped")]
        public static partial void Dropped(ILogger logger, long count, long total, int capacity);

        [LoggerMessage(4, LogLevel.Warning, "Dropped {Count} records not written within the stop timeout of {Seconds} s.", EventName = "StorageDroppedAtStop")]
        public static partial void DroppedAtStop(ILogger logger, int count, double seconds);

        [LoggerMessage(5, LogLevel.Warning, "PostgreSQL rejected a batch of {Count} records ({SqlState}: {Reason}); writing them one by one.", EventName = "StorageBadBatch")]
        public static partial void BadBatch(ILogger logger, int count, string sqlState, string reason);

        [LoggerMessage(7, LogLevel.Error, "Dropped {Count} {RecordType} records: the database schema is missing what they need ({SqlState}: {Reason}). Run `migrationctl db migrate` (or apply migrations/migrate.sql); the other records go on being written.", EventName = "StorageSchemaMissing")]
        public static partial void SchemaMissing(ILogger logger, int count, string recordType, string sqlState, string reason);

        [LoggerMessage(6, LogLevel.Error, "Dropped a {RecordType} that PostgreSQL rejects ({SqlState}: {Reason}); further {RecordType} rows refused with {SqlState} are dropped and counted (in migration.recorder.dropped), not logged. Fix: {Fix}.", EventName = "StorageRowDropped")]
        public static partial void RowDropped(ILogger logger, string recordType, string sqlState, string reason, string fix);

        [LoggerMessage(8, LogLevel.Error, "{Producer} failed to complete its work before the writer stopped; its unfinished records are lost.", EventName = "StorageProducerFailed")]
        public static partial void ProducerFailed(ILogger logger, string producer, Exception exception);
    }
}
