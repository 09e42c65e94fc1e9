using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Traffic;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// Drains the shadow queue with a bounded number of workers: mirrors each exchange to the candidate, compares the
/// two answers and hands a <see cref="ShadowResult"/> to the record sink. A candidate failure is data (a result
/// with verdict <see cref="Verdict.Error"/>), never an exception; a 429 pauses mirroring for its Retry-After. On
/// shutdown (<see cref="CompleteAsync"/>, awaited by the record sink before it stops, or this service's own stop,
/// whichever comes first) the queue is closed and drained for at most <c>Shadow:DrainTimeout</c>; what is left is
/// dropped and counted (reason <c>stopped</c>). A fault inside the harness is counted (reason <c>worker_error</c>).
/// </summary>
internal sealed partial class ShadowDispatcher : BackgroundService, IRecordProducer
{
    private readonly ShadowQueue _queue;
    private readonly ShadowControl _control;
    private readonly CandidateClient _candidate;
    private readonly IResponseComparer _comparer;
    private readonly ShadowResultFactory _results;
    private readonly NoiseFloor _noise;
    private readonly IRecordSink _sink;
    private readonly TrafficAggregator _aggregator;
    private readonly HarnessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ShadowDispatcher> _logger;
    private readonly IReadOnlyDictionary<string, string> _modelMap;
    private readonly int _workers;
    private readonly TimeSpan _drainTimeout;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _drainLock = new();
    private Task? _drain;
    private int _workerErrorLogged;
    private long _processed;

    public ShadowDispatcher(
        IOptions<MigrationHarnessOptions> options,
        ShadowQueue queue,
        ShadowControl control,
        CandidateClient candidate,
        IResponseComparer comparer,
        ShadowResultFactory results,
        NoiseFloor noise,
        IRecordSink sink,
        TrafficAggregator aggregator,
        HarnessMetrics metrics,
        TimeProvider time,
        ILogger<ShadowDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(comparer);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _queue = queue;
        _control = control;
        _candidate = candidate;
        _comparer = comparer;
        _results = results;
        _noise = noise;
        _sink = sink;
        _aggregator = aggregator;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _modelMap = new Dictionary<string, string>(options.Value.Candidate.ModelMap, StringComparer.Ordinal);
        _workers = options.Value.Shadow.Workers;
        _drainTimeout = options.Value.Shadow.DrainTimeout;
    }

    /// <summary>Exchanges mirrored and recorded (any verdict).</summary>
    internal long Processed => Interlocked.Read(ref _processed);

    /// <summary>The model sent to the candidate for a primary model.</summary>
    internal string CandidateModelFor(string model) => _modelMap.TryGetValue(model, out var mapped) ? mapped : model;

    /// <summary>Mirrors, compares and records one exchange (disposes it). Never throws except for cancellation.</summary>
    internal async Task ProcessAsync(ShadowExchange exchange, CancellationToken cancellationToken)
    {
        using (exchange)
        {
            if (_control.IsPaused)
            {
                _aggregator.RecordShadowDropped(exchange.Model);
                _metrics.ShadowDropped(ShadowDropReason.Paused);
                return;
            }

            var candidateModel = CandidateModelFor(exchange.Model);
            var body = candidateModel == exchange.Model
                ? exchange.RequestBody.Memory
                : OpenAIRequestReader.RewriteModel(exchange.RequestBody.Memory.Span, candidateModel);

            using var response = await _candidate.SendShadowAsync(exchange.Route, body, exchange.Streamed, cancellationToken).ConfigureAwait(false);
            if (response.RetryAfter is { } wait)
            {
                var until = _time.GetUtcNow() + wait;
                _control.PauseUntil(until);
                Log.CandidateRateLimited(_logger, wait.TotalSeconds);
            }

            var primary = ProviderAnswerReader.Read(exchange.PrimaryStatus, exchange.PrimaryBody.Memory.Span, exchange.PrimaryContentType, exchange.Kind);
            var candidate = response.Body is { } candidateBody
                ? ProviderAnswerReader.Read(response.Status ?? 0, candidateBody.Memory.Span, response.ContentType, exchange.Kind)
                : new ProviderAnswer { Status = 0, Kind = exchange.Kind, Error = response.ErrorMessage };

            var error = ClassifyCandidate(response, candidate);
            _aggregator.RecordRequest(TrafficArm.Shadow, exchange.Model, error, response.Latency, response.Ttft);
            _metrics.RequestFinished(TrafficArm.Shadow, error, response.Latency);

            OpenAIRequestReader.TryRead(exchange.RequestBody.Memory.Span, out var request);
            var comparison = _comparer.Compare(primary, candidate, ComparisonContext.From(request));
            if (error != ErrorClass.None && comparison.Verdict != Verdict.Error)
            {
                comparison = comparison with { Verdict = Verdict.Error, Score = null, Tier = null, SemanticPairs = [] };
            }

            var result = _results.Create(exchange, candidateModel, primary, candidate, response, error, comparison);
            _metrics.ShadowCompared(comparison.Verdict, response.Latency);
            if (!_sink.TryWrite(result))
            {
                // No row: the sampled exchange is lost to the report, so it is counted as dropped in the traffic buckets too.
                _aggregator.RecordShadowDropped(exchange.Model);
                _metrics.ShadowDropped(ShadowDropReason.SinkRefused);
                Log.ResultDropped(_logger);
            }

            // The primary asked again (noise floor) after the candidate's row is handed over: its own row, never the candidate's.
            if (_noise.ShouldSample(exchange, primary))
            {
                await _noise.ProcessAsync(exchange, primary, ComparisonContext.From(request), cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref _processed);
        }
    }

    /// <summary>The candidate's error class: transport first, then what its body says.</summary>
    internal static ErrorClass ClassifyCandidate(CandidateResponse response, ProviderAnswer answer)
    {
        if (response.Error != ErrorClass.None)
        {
            return response.Error;
        }

        if (answer.IsSuccess)
        {
            return ErrorClass.None;
        }

        if (answer.Error?.StartsWith(ProviderAnswerReader.TruncatedPrefix, StringComparison.Ordinal) == true
            || (answer.Streamed && !answer.Complete && answer.Error?.StartsWith(ProviderAnswerReader.MalformedPrefix, StringComparison.Ordinal) != true))
        {
            return ErrorClass.TruncatedStream;
        }

        return ErrorClass.MalformedResponse;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _abort.Token);
        var token = linked.Token;
        var workers = new Task[_workers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => RunWorkerAsync(token), CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the queue and lets the workers mirror what is queued for at most <c>Shadow:DrainTimeout</c> (real time:
    /// the host is stopping), then cuts off what is in flight; every exchange not mirrored is counted (reason
    /// <c>stopped</c>). Idempotent: the record sink awaits it before it writes its last records.
    /// </summary>
    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        lock (_drainLock)
        {
            return _drain ??= DrainAsync(cancellationToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await CompleteAsync(cancellationToken).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        DiscardQueued();
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        _queue.Close();
        var workers = ExecuteTask;
        if (workers is not null && !workers.IsCompleted)
        {
            try
            {
                await workers.WaitAsync(_drainTimeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.DrainTimedOut(_logger, _drainTimeout.TotalSeconds, _queue.Count);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            // What is still in flight is cut off (and counted by its worker).
            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await workers.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        DiscardQueued();
    }

    /// <summary>Whatever is still queued will not be mirrored: counted, and its buffers given back.</summary>
    private void DiscardQueued()
    {
        while (_queue.Reader.TryRead(out var exchange))
        {
            DropStopped(exchange);
        }
    }

    private void DropStopped(ShadowExchange exchange)
    {
        using (exchange)
        {
            _aggregator.RecordShadowDropped(exchange.Model);
            _metrics.ShadowDropped(ShadowDropReason.Stopped);
        }
    }

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var exchange in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ProcessAsync(exchange, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    DropStopped(exchange);
                    return;
                }
                catch (Exception ex)
                {
                    // A fault of the harness (comparer, result factory...): counted, the first one logged with its exception.
                    _aggregator.RecordShadowDropped(exchange.Model);
                    _metrics.ShadowDropped(ShadowDropReason.WorkerError);
                    if (Interlocked.Exchange(ref _workerErrorLogged, 1) == 0)
                    {
                        Log.ProcessFailed(_logger, exchange.Route, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, EventName = "ShadowProcessFailed", Level = LogLevel.Error,
            Message = "Mirroring a request to {Route} failed inside the harness; no shadow result was recorded. Further failures are counted (reason worker_error), not logged.")]
        public static partial void ProcessFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1202, EventName = "CandidateRateLimited", Level = LogLevel.Warning,
            Message = "The candidate answered 429: shadow mirroring pauses for {Seconds} s.")]
        public static partial void CandidateRateLimited(ILogger logger, double seconds);

        [LoggerMessage(EventId = 1204, EventName = "ShadowDrainTimedOut", Level = LogLevel.Warning,
            Message = "The shadow queue did not drain within Shadow:DrainTimeout ({Seconds} s) at shutdown; {Left} queued exchanges and those in flight are dropped (reason stopped).")]
        public static partial void DrainTimedOut(ILogger logger, double seconds, int left);

        [LoggerMessage(EventId = 1203, EventName = "ShadowResultDropped", Level = LogLevel.Debug,
            Message = "The record sink refused a shadow result (its buffer is full).")]
        public static partial void ResultDropped(ILogger logger);
    }
}
