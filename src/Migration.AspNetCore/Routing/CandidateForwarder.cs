using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Capture;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.OpenAI;
using Migration.Core.Pricing;
using Migration.Core.Storage;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// Starts a live request on the candidate (canary, failover): rewrites the model, sends it, and hands back a
/// <see cref="CandidateAnswer"/> only once the candidate's first body bytes are in. A failure before that
/// (connection error, no first byte within <see cref="CanaryOptions.FirstByteTimeout"/>, a non-2xx status such as
/// 5xx or 429) says <see cref="CandidateForwardOutcome.FallBack"/>: nothing was handed out and the caller serves the
/// request from the primary. A Polly circuit breaker over this phase opens after repeated failures; while it is
/// open <see cref="IsAvailable"/> is false and callers route to the primary. Never throws. Streaming the committed
/// answer is <see cref="CandidateAnswer"/>'s part; the attempts of a fallback chain are kept by
/// <see cref="CandidateAttemptLog"/>.
/// </summary>
internal sealed partial class CandidateForwarder
{
    /// <summary>Response header naming the provider that served a request (<c>candidate</c>).</summary>
    public const string ServedByHeader = "X-Migration-Served-By";

    private const int ChunkSize = 16 * 1024;

    /// <summary>The least time a retry after a 429 must have left to be worth it.</summary>
    private static readonly TimeSpan MinimumRetryAttempt = TimeSpan.FromMilliseconds(250);

    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("migration.attempt-timeout");

    private readonly CandidateClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<CandidateForwarder> _logger;
    private readonly IReadOnlyDictionary<string, string> _modelMap;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _firstByteTimeout;
    private readonly HarnessMetrics _metrics;
    private readonly ResiliencePipeline<FirstBytes> _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly IProviderHealthReporter _health;
    private readonly FallbackModelChain _chain;
    private readonly IRecordSink? _sink;
    private readonly PriceTable _prices;
    private readonly int _maxCaptureBytes;
    private readonly ShadowControl _shadow;

    public CandidateForwarder(
        CandidateClient client,
        IOptions<MigrationHarnessOptions> options,
        TimeProvider time,
        ILogger<CandidateForwarder> logger,
        IProviderHealthReporter health,
        HarnessMetrics metrics,
        ShadowResultFactory results,
        ShadowControl shadow,
        IRecordSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(shadow);
        _shadow = shadow;
        var value = options.Value;
        _chain = new FallbackModelChain(value.Candidate.FallbackModels);
        _sink = sink;
        _prices = results.CandidatePrices;
        _maxCaptureBytes = value.Shadow.MaxResponseBytes;
        _health = health;
        _metrics = metrics;
        _client = client;
        _time = time;
        _logger = logger;
        _modelMap = new Dictionary<string, string>(value.Candidate.ModelMap, StringComparer.Ordinal);
        _timeout = value.Candidate.Timeout;
        var canary = value.Canary;
        var firstByteTimeout = _firstByteTimeout = canary.FirstByteTimeout;
        _pipeline = new ResiliencePipelineBuilder<FirstBytes> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<FirstBytes>
            {
                FailureRatio = canary.CircuitBreakerFailureRatio,
                MinimumThroughput = canary.CircuitBreakerMinimumThroughput,
                SamplingDuration = canary.CircuitBreakerSamplingDuration,
                BreakDuration = canary.CircuitBreakerBreakDuration,
                StateProvider = _breaker,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } when args.Context.CancellationToken.IsCancellationRequested => false,
                    { Exception: not null } => true,
                    // A client error (4xx but 429) is the request's own fault, not the candidate's.
                    { Result: { Failed: true, Error: ErrorClass.ClientError } } => false,
                    { Result.Failed: true } => true,
                    _ => false,
                }),
                OnOpened = args =>
                {
                    Log.BreakerOpened(logger, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.BreakerClosed(logger);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = firstByteTimeout,
                // Each attempt's own limit, cut to what is left of the request's budget.
                TimeoutGenerator = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(AttemptTimeoutKey, out var attempt) ? attempt : firstByteTimeout),
            })
            .Build();
    }

    /// <summary>False while the circuit breaker is open (or isolated): route to the primary.</summary>
    public bool IsAvailable => _breaker.CircuitState is CircuitState.Closed or CircuitState.HalfOpen;

    /// <summary>The breaker's state, for status pages.</summary>
    public CircuitState BreakerState => _breaker.CircuitState;

    /// <summary>The clock (for the answer and the attempt log).</summary>
    internal TimeProvider Time => _time;

    /// <summary>The candidate's prices (for the attempt log).</summary>
    internal PriceTable Prices => _prices;

    /// <summary>
    /// Sends <paramref name="request"/> (its complete body and parsed form) to the candidate until its first body
    /// bytes are in. The whole request shares one deadline (<see cref="CandidateProviderOptions.Timeout"/>): each
    /// attempt's first-byte timeout and the answer's streaming get only what is left. A 429 whose <c>Retry-After</c>
    /// fits what is left waits (holding nothing, ended by <paramref name="aborted"/>) and retries once. A model with
    /// fallbacks (<see cref="CandidateProviderOptions.FallbackModels"/>) moves on to its next model after a
    /// provider-side failure before the first byte, while the budget lasts; each of its attempts is recorded with
    /// outcome and cost. When nothing is left to try the result says fall back. <paramref name="reason"/>
    /// (<c>canary</c> or <c>failover</c>) is why the candidate serves it; <paramref name="answerAborted"/> ends the
    /// committed answer when its caller is gone for good. <paramref name="deadlineFrom"/> (a
    /// <see cref="TimeProvider.GetTimestamp"/>) starts the deadline earlier: a request the primary failed is served
    /// in what is left of its own deadline, not a fresh one.
    /// </summary>
    public async Task<CandidateStart> StartAsync(
        ExchangeRequest request, string reason, CancellationToken aborted, CancellationToken answerAborted, long? deadlineFrom = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reason);
        var info = request.Info ?? throw new ArgumentException("The request was not read as an OpenAI request.", nameof(request));
        var requestBody = request.CompleteBody ?? throw new ArgumentException("The request body was not captured whole.", nameof(request));
        var route = request.Route;
        var started = deadlineFrom ?? _time.GetTimestamp();
        var budget = new DeadlineBudget(_time.GetUtcNow() - _time.GetElapsedTime(started), _timeout);
        var requested = info.Model;
        var mapped = requested is not null && _modelMap.TryGetValue(requested, out var candidateModel) ? candidateModel : null;
        IReadOnlyList<string> plan = requested is null ? [] : _chain.Plan(requested, mapped);
        var attempts = plan.Count > 1 ? new CandidateAttemptLog(this, request.RequestId, route, reason, requested!) : null;
        var index = 0;
        ReadOnlyMemory<byte> body;
        try
        {
            body = mapped is null ? requestBody : OpenAIRequestReader.RewriteModel(requestBody.Span, mapped);
        }
        catch (Exception ex)
        {
            Log.ForwardFailed(_logger, route, ex);
            return CandidateStart.Failed(Result(CandidateForwardOutcome.FallBack, ErrorClass.Other, null, "forwarding failed: " + ex.GetType().Name, started, null));
        }

        while (true)
        {
            var model = plan.Count > 0 ? plan[index] : null;
            var attemptStarted = _time.GetTimestamp();
            attempts?.Begin(model!, _time.GetUtcNow(), attemptStarted);
            var (first, failure) = await AttemptAsync(route, body, info.Stream, budget, started, aborted).ConfigureAwait(false);
            CandidateForwardResult attempt;
            if (failure is not null)
            {
                if (failure.Outcome == CandidateForwardOutcome.ClientAborted)
                {
                    attempts?.End(AttemptOutcome.ClientAborted, failure.Error, failure.Status, null, null, failure.Message);
                    return CandidateStart.Failed(failure);
                }

                attempt = failure;
            }
            else if (!first!.Failed)
            {
                // Committable: the answer owns the response, its buffer and the capture from here on.
                var capture = attempts is null ? null : new CaptureBuffer(_maxCaptureBytes);
                try
                {
                    return CandidateStart.Committable(new CandidateAnswer(
                        this, first, started, budget.Remaining(_time.GetUtcNow()), capture, attempts, info.Kind, route, answerAborted));
                }
                catch
                {
                    capture?.Dispose();
                    first.Dispose();
                    throw;
                }
            }
            else
            {
                using (first)
                {
                    attempt = Reported(Result(CandidateForwardOutcome.FallBack, first.Error, first.Status, first.Message, started, null));
                    if (first.Error == ErrorClass.RateLimited)
                    {
                        // Live traffic first: mirroring backs off while the candidate rate-limits live requests.
                        _shadow.PauseUntil(_time.GetUtcNow() + CandidateClient.ShadowPauseFor(first.RetryAfter));
                        var decision = budget.OnRateLimited(first.RetryAfter, _time.GetUtcNow(), MinimumRetryAttempt);
                        _metrics.CandidateRateLimited(decision.Action);
                        Log.RateLimited(_logger, route, decision.Reason);
                        if (decision.Action == RateLimitAction.RetryAfterWait)
                        {
                            attempts?.End(AttemptOutcome.Retry, first.Error, first.Status, null, 0m, first.Message + ": " + decision.Reason);
                            try
                            {
                                // No lock and no connection is held while waiting; the caller going away ends the wait.
                                await Task.Delay(decision.Wait, _time, aborted).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                            {
                                return CandidateStart.Failed(Result(CandidateForwardOutcome.ClientAborted, ErrorClass.Other, first.Status, "client went away", started, null));
                            }

                            continue;
                        }

                        attempt = attempt with { Message = first.Message + ": " + decision.Reason };
                    }
                }
            }

            var next = attempts is null ? null : FallbackModelChain.Next(plan, index + 1, attempt.Error, attempt.Status, budget, _time.GetUtcNow(), MinimumRetryAttempt);
            if (next is not null)
            {
                try
                {
                    body = OpenAIRequestReader.RewriteModel(requestBody.Span, next);
                }
                catch (Exception ex)
                {
                    Log.ForwardFailed(_logger, route, ex);
                    next = null;
                }
            }

            if (next is null)
            {
                attempts?.End(AttemptOutcome.FellBack, attempt.Error, attempt.Status, null, 0m, attempt.Message);
                return CandidateStart.Failed(index == 0 ? attempt : attempt with { Message = attempt.Message + " (after " + string.Join(" -> ", plan.Take(index + 1)) + ")" });
            }

            attempts!.End(AttemptOutcome.NextModel, attempt.Error, attempt.Status, null, 0m, attempt.Message);
            Log.NextModel(_logger, route, plan[index], next, attempt.Message ?? attempt.Error.ToString());
            index++;
        }
    }

    /// <summary>One attempt up to the first body bytes, bounded by the first-byte timeout cut to the budget left.</summary>
    private async Task<(FirstBytes? First, CandidateForwardResult? Failure)> AttemptAsync(
        string route, ReadOnlyMemory<byte> body, bool streamed, DeadlineBudget budget, long started, CancellationToken aborted)
    {
        var now = _time.GetUtcNow();
        if (budget.IsExpired(now))
        {
            return (null, Reported(Result(CandidateForwardOutcome.FallBack, ErrorClass.Timeout, null, "the request budget (Candidate:Timeout) is spent", started, null)));
        }

        var attemptTimeout = budget.AttemptTimeout(_firstByteTimeout, now);
        var resilience = ResilienceContextPool.Shared.Get(aborted);
        try
        {
            resilience.Properties.Set(AttemptTimeoutKey, attemptTimeout);
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static (ctx, call) => call.Owner.ReadFirstBytesAsync(call, ctx.CancellationToken),
                resilience,
                new CallContext(this, route, body, streamed)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return (outcome.Result!, null);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return (null, Result(CandidateForwardOutcome.ClientAborted, ErrorClass.Other, null, "client went away", started, null));
        }
        catch (TimeoutRejectedException)
        {
            var message = attemptTimeout < _firstByteTimeout
                ? "no first byte within the request budget left (Candidate:Timeout)"
                : "no first byte within Canary:FirstByteTimeout";
            return (null, Reported(Result(CandidateForwardOutcome.FallBack, ErrorClass.Timeout, null, message, started, null)));
        }
        catch (BrokenCircuitException)
        {
            return (null, Result(CandidateForwardOutcome.FallBack, ErrorClass.Connection, null, "circuit breaker open", started, null));
        }
        catch (HttpRequestException ex)
        {
            return (null, Reported(Result(CandidateForwardOutcome.FallBack, ErrorClass.Connection, null, "connection failed: " + CandidateClient.Describe(ex), started, null)));
        }
        catch (Exception ex)
        {
            Log.ForwardFailed(_logger, route, ex);
            return (null, Result(CandidateForwardOutcome.FallBack, ErrorClass.Other, null, "forwarding failed: " + ex.GetType().Name, started, null));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    /// <summary>
    /// Hands a call's outcome to the health monitor (a passive signal, in memory). Not for an open breaker (no call
    /// was made), a client that went away, or a fault of the harness itself.
    /// </summary>
    private CandidateForwardResult Reported(CandidateForwardResult result)
    {
        Report(result);
        return result;
    }

    /// <summary>The passive health signal of a call that was made (see <see cref="Reported"/>).</summary>
    internal void Report(CandidateForwardResult result) => _health.Report(ProviderRole.Candidate, result.Error, result.Latency);

    /// <summary>Logs a committed answer that broke off (the caller was told with an error).</summary>
    internal void FailedAfterCommit(string route, string reason) => Log.FailedAfterCommit(_logger, route, reason);

    /// <summary>Logs an attempt that could not be priced or recorded.</summary>
    internal void AttemptRecordFailed(string route, Exception exception) => Log.RecordAttemptFailed(_logger, route, exception);

    private CandidateForwardResult Result(CandidateForwardOutcome outcome, ErrorClass error, int? status, string? message, long started, TimeSpan? ttft) =>
        new(outcome, error, status, message, _time.GetElapsedTime(started), ttft);

    private async ValueTask<Outcome<FirstBytes>> ReadFirstBytesAsync(CallContext call, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await _client.SendLiveAsync(call.Route, call.Body, call.Streamed, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is < 200 or > 299)
            {
                var error = ErrorClassifier.FromStatus(status);
                TimeSpan? retryAfter = null;
                if (error == ErrorClass.RateLimited)
                {
                    retryAfter = RetryAfterHeader.Read(response.Headers, _time.GetUtcNow());
                }

                response.Dispose();
                return Outcome.FromResult(FirstBytes.Failure(error == ErrorClass.None ? ErrorClass.Other : error, status, "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture), retryAfter));
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            var first = new FirstBytes(response, stream, buffer, status);
            response = null;
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // No first byte (timeout, reset after the headers): the response, stream and buffer go back now.
                first.Dispose();
                throw;
            }

            if (read == 0)
            {
                first.Dispose();
                return Outcome.FromResult(FirstBytes.Failure(ErrorClass.MalformedResponse, status, "empty answer"));
            }

            first.Count = read;
            first.Watch = new FirstContentWatch(_time);
            first.Watch.Observe(buffer.AsSpan(0, read));
            return Outcome.FromResult(first);
        }
        catch (Exception ex)
        {
            response?.Dispose();
            return Outcome.FromException<FirstBytes>(ex);
        }
    }

    /// <summary>Counts and stores one attempt of a fallback chain; never changes what the caller gets.</summary>
    internal void RecordAttempt(CandidateAttempt attempt)
    {
        try
        {
            _metrics.CandidateAttempt(attempt.Model, attempt.Outcome, attempt.CostUsd);
            if (_sink is not null && !_sink.TryWrite(attempt))
            {
                _metrics.CandidateAttemptDropped();
            }
        }
        catch (Exception ex)
        {
            // Recording never changes what the client gets.
            Log.RecordAttemptFailed(_logger, attempt.Route, ex);
        }
    }

    private sealed record CallContext(CandidateForwarder Owner, string Route, ReadOnlyMemory<byte> Body, bool Streamed);
}
