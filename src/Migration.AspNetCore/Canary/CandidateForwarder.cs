using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

namespace Migration.AspNetCore.Canary;

/// <summary>
/// Serves a live request from the candidate (canary, failover): rewrites the model, sends it, and commits the
/// response to the client only once the candidate's first body bytes are in. A failure before that (connection
/// error, no first byte within <see cref="CanaryOptions.FirstByteTimeout"/>, a non-2xx status such as 5xx or 429)
/// leaves the response untouched and says <see cref="CandidateForwardOutcome.FallBack"/>: the caller serves the
/// request from the primary. After commit the answer is streamed chunk by chunk as it arrives; a failure then
/// ends a streamed answer with an SSE <c>error</c> event followed by a connection reset (never a clean end a
/// client could take for a complete answer) and aborts a non-streamed one. A Polly circuit breaker over the
/// pre-commit phase opens after repeated failures; while it is open <see cref="IsAvailable"/> is false and
/// callers route to the primary. Never throws.
/// </summary>
internal sealed partial class CandidateForwarder
{
    /// <summary>Response header naming the provider that served a request (<c>candidate</c>).</summary>
    public const string ServedByHeader = "X-Migration-Served-By";

    private const int ChunkSize = 16 * 1024;

    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

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

    public CandidateForwarder(
        CandidateClient client,
        IOptions<MigrationHarnessOptions> options,
        TimeProvider time,
        ILogger<CandidateForwarder> logger,
        IProviderHealthReporter health,
        HarnessMetrics metrics,
        ShadowResultFactory results,
        IRecordSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(results);
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

    /// <summary>
    /// Forwards the request (body <paramref name="requestBody"/>, already read; <paramref name="request"/> its
    /// parsed form) to the candidate and streams the answer to <paramref name="context"/>'s response. The whole
    /// request shares one deadline (<see cref="CandidateProviderOptions.Timeout"/>): each attempt's first-byte
    /// timeout and the streaming phase get only what is left. A 429 whose <c>Retry-After</c> fits what is left waits
    /// (holding nothing, ended by the client going away) and retries once. A model with fallbacks
    /// (<see cref="CandidateProviderOptions.FallbackModels"/>) moves on to its next model after a provider-side failure
    /// before the first byte, while the budget lasts; each of its attempts is recorded with outcome and cost. When
    /// nothing is left to try the request falls back to the primary. <paramref name="reason"/> (<c>canary</c> or
    /// <c>failover</c>) is why the candidate serves it.
    /// </summary>
    public async Task<CandidateForwardResult> ForwardAsync(HttpContext context, string route, ReadOnlyMemory<byte> requestBody, OpenAIRequestInfo request, string reason = "canary")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reason);
        var started = _time.GetTimestamp();
        var budget = new DeadlineBudget(_time.GetUtcNow(), _timeout);
        var aborted = context.RequestAborted;
        var requested = request.Model;
        var mapped = requested is not null && _modelMap.TryGetValue(requested, out var candidateModel) ? candidateModel : null;
        IReadOnlyList<string> plan = requested is null ? [] : _chain.Plan(requested, mapped);
        var attempts = plan.Count > 1 ? new AttemptLog(this, context.TraceIdentifier, route, reason, requested!) : null;
        var index = 0;
        ReadOnlyMemory<byte> body;
        try
        {
            body = mapped is null ? requestBody : OpenAIRequestReader.RewriteModel(requestBody.Span, mapped);
        }
        catch (Exception ex)
        {
            Log.ForwardFailed(_logger, route, ex);
            return Result(CandidateForwardOutcome.FallBack, ErrorClass.Other, null, "forwarding failed: " + ex.GetType().Name, started, null);
        }

        while (true)
        {
            var model = plan.Count > 0 ? plan[index] : null;
            var attemptStarted = _time.GetTimestamp();
            attempts?.Begin(model!, _time.GetUtcNow(), attemptStarted);
            var (first, failure) = await AttemptAsync(route, body, request.Stream, budget, started, aborted).ConfigureAwait(false);
            CandidateForwardResult attempt;
            if (failure is not null)
            {
                if (failure.Outcome == CandidateForwardOutcome.ClientAborted)
                {
                    attempts?.End(AttemptOutcome.ClientAborted, failure.Error, failure.Status, null, null, failure.Message);
                    return failure;
                }

                attempt = failure;
            }
            else
            {
                using (first)
                {
                    if (!first!.Failed)
                    {
                        using var capture = attempts is null ? null : new CaptureBuffer(_maxCaptureBytes);
                        var served = await StreamAsync(context, first, started, budget, capture).ConfigureAwait(false);
                        attempts?.EndServed(served, first, capture, request.Kind);
                        return served.Outcome == CandidateForwardOutcome.ClientAborted ? served : Reported(served);
                    }

                    attempt = Reported(Result(CandidateForwardOutcome.FallBack, first.Error, first.Status, first.Message, started, null));
                    if (first.Error == ErrorClass.RateLimited)
                    {
                        var decision = budget.OnRateLimited(first.RetryAfter, _time.GetUtcNow(), MinimumRetryAttempt);
                        _metrics.CandidateRateLimited(decision.Action);
                        Log.RateLimited(_logger, route, decision.Reason);
                        if (decision.Action == RateLimitAction.RetryAfterWait)
                        {
                            attempts?.End(AttemptOutcome.Retry, first.Error, first.Status, null, 0m, first.Message + ": " + decision.Reason);
                            try
                            {
                                // No lock and no connection is held while waiting; the client going away ends the wait.
                                await Task.Delay(decision.Wait, _time, aborted).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                            {
                                return Result(CandidateForwardOutcome.ClientAborted, ErrorClass.Other, first.Status, "client went away", started, null);
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
                return index == 0 ? attempt : attempt with { Message = attempt.Message + " (after " + string.Join(" -> ", plan.Take(index + 1)) + ")" };
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

    private async Task<CandidateForwardResult> StreamAsync(HttpContext context, FirstBytes first, long started, DeadlineBudget budget, CaptureBuffer? capture)
    {
        var ttft = _time.GetElapsedTime(started, first.FirstByteAt);
        var response = context.Response;
        var upstream = first.Response!;
        var streamed = IsEventStream(upstream);

        // What is left of the request's one deadline, never a fresh one.
        using var deadline = new CancellationTokenSource(TimerSafe(budget.Remaining(_time.GetUtcNow())), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, context.RequestAborted);
        var committed = false;
        try
        {
            response.StatusCode = (int)upstream.StatusCode;
            if (upstream.Content.Headers.ContentType is { } contentType)
            {
                response.ContentType = contentType.ToString();
            }

            response.Headers[ServedByHeader] = "candidate";
            if (streamed)
            {
                response.Headers.CacheControl = "no-cache";
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            }

            committed = true;
            await response.Body.WriteAsync(first.Buffer.AsMemory(0, first.Count), linked.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(linked.Token).ConfigureAwait(false);

            var stream = first.Stream!;
            var tail = new StreamTail();
            tail.Append(first.Buffer.AsSpan(0, first.Count));
            capture?.Append(first.Buffer.AsSpan(0, first.Count));
            int read;
            while ((read = await stream.ReadAsync(first.Buffer, linked.Token).ConfigureAwait(false)) > 0)
            {
                tail.Append(first.Buffer.AsSpan(0, read));
                capture?.Append(first.Buffer.AsSpan(0, read));
                await response.Body.WriteAsync(first.Buffer.AsMemory(0, read), linked.Token).ConfigureAwait(false);
                if (streamed)
                {
                    await response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
                }
            }

            if (streamed && !tail.EndsWithDone())
            {
                // A clean end without the OpenAI terminator is a cut-off answer: never hand it on as complete.
                const string cut = "the stream ended without [DONE]";
                Log.FailedAfterCommit(_logger, context.Request.Path.Value ?? string.Empty, cut);
                await EndWithErrorAsync(context, streamed, cut).ConfigureAwait(false);
                return Result(CandidateForwardOutcome.FailedAfterCommit, ErrorClass.TruncatedStream, first.Status, cut, started, ttft);
            }

            return Result(CandidateForwardOutcome.Served, ErrorClass.None, first.Status, null, started, ttft);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested)
        {
            _ = ex;
            return Result(CandidateForwardOutcome.ClientAborted, ErrorClass.Other, first.Status, "client went away", started, ttft);
        }
        catch (Exception ex)
        {
            var error = deadline.IsCancellationRequested ? ErrorClass.Timeout : ErrorClass.TruncatedStream;
            var message = deadline.IsCancellationRequested ? "answer not complete within Candidate:Timeout" : "answer cut off: " + ex.GetType().Name;
            Log.FailedAfterCommit(_logger, context.Request.Path.Value ?? string.Empty, message);
            if (committed)
            {
                await EndWithErrorAsync(context, streamed, message).ConfigureAwait(false);
            }

            return Result(CandidateForwardOutcome.FailedAfterCommit, error, first.Status, message, started, ttft);
        }
    }

    /// <summary>
    /// Tells the client the answer is broken: an SSE <c>error</c> event (no <c>[DONE]</c>) for streams, then a reset
    /// connection, so neither an SSE-aware client nor a plain HTTP client can take the answer for complete.
    /// </summary>
    internal static async Task EndWithErrorAsync(HttpContext context, bool streamed, string message)
    {
        if (streamed)
        {
            try
            {
                var payload = JsonSerializer.Serialize(new
                {
                    error = new { message = "The upstream answer was interrupted: " + message, type = "upstream_error", code = "stream_interrupted" },
                });
                var bytes = Encoding.UTF8.GetBytes("event: error\ndata: " + payload + "\n\n");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await context.Response.Body.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
                // The client is gone or the connection broke: the abort below is all that is left.
            }
        }

        // Give the error event a moment on the wire before the reset (a reset may discard unread bytes).
        await Task.Delay(AbortGrace).ConfigureAwait(false);
        context.Abort();
    }

    /// <summary>Timers take at most ~49.7 days; a longer budget is as good as none.</summary>
    private static TimeSpan TimerSafe(TimeSpan value) => value > MaxTimer ? MaxTimer : value;

    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } media && media.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Hands a call's outcome to the health monitor (a passive signal, in memory). Not for an open breaker (no call
    /// was made), a client that went away, or a fault of the harness itself.
    /// </summary>
    private CandidateForwardResult Reported(CandidateForwardResult result)
    {
        _health.Report(ProviderRole.Candidate, result.Error, result.Latency);
        return result;
    }

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
                    retryAfter = RetryAfterHeader.Parse(
                        response.Headers.RetryAfter?.ToString(),
                        response.Headers.TryGetValues("retry-after-ms", out var ms) ? ms.FirstOrDefault() : null,
                        _time.GetUtcNow());
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
            first.FirstByteAt = _time.GetTimestamp();
            return Outcome.FromResult(first);
        }
        catch (Exception ex)
        {
            response?.Dispose();
            return Outcome.FromException<FirstBytes>(ex);
        }
    }

    private void RecordAttempt(CandidateAttempt attempt)
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

    /// <summary>How an attempt of a fallback chain ended (the stored <c>outcome</c>).</summary>
    internal static class AttemptOutcome
    {
        public const string Served = "served";
        public const string NextModel = "next_model";
        public const string Retry = "retry";
        public const string FellBack = "fell_back";
        public const string FailedAfterCommit = "failed_after_commit";
        public const string ClientAborted = "client_aborted";
    }

    /// <summary>The attempts of one request with a fallback chain: each one becomes a <see cref="CandidateAttempt"/>.</summary>
    private sealed class AttemptLog(CandidateForwarder owner, string requestId, string route, string reason, string requestedModel)
    {
        private int _number;
        private string _model = string.Empty;
        private DateTimeOffset _at;
        private long _started;

        public void Begin(string model, DateTimeOffset at, long started)
        {
            _number++;
            _model = model;
            _at = at;
            _started = started;
        }

        public void End(string outcome, ErrorClass error, int? status, TokenUsage? usage, decimal? cost, string? message, TimeSpan? ttft = null) =>
            owner.RecordAttempt(new CandidateAttempt
            {
                Time = _at,
                RequestId = requestId,
                Route = route,
                Reason = reason,
                RequestedModel = requestedModel,
                Model = _model,
                Attempt = _number,
                Outcome = outcome,
                ErrorClass = error,
                Status = status,
                LatencyMs = owner._time.GetElapsedTime(_started).TotalMilliseconds,
                TtftMs = ttft?.TotalMilliseconds,
                TokensIn = usage?.PromptTokens,
                TokensOut = usage?.CompletionTokens,
                CostUsd = cost,
                Message = message,
            });

        /// <summary>The attempt that reached the client: its cost from the usage the answer reported.</summary>
        public void EndServed(CandidateForwardResult served, FirstBytes first, CaptureBuffer? capture, AnswerKind kind)
        {
            var outcome = served.Outcome switch
            {
                CandidateForwardOutcome.Served => AttemptOutcome.Served,
                CandidateForwardOutcome.ClientAborted => AttemptOutcome.ClientAborted,
                _ => AttemptOutcome.FailedAfterCommit,
            };
            TokenUsage? usage = null;
            decimal? cost = null;
            try
            {
                if (capture is { Overflowed: false, Length: > 0 })
                {
                    usage = ProviderAnswerReader.Read(first.Status ?? 200, capture.Memory.Span, first.Response?.Content.Headers.ContentType?.ToString(), kind).Usage;
                }

                cost = usage is null ? null : owner._prices.Cost(_model, usage);
            }
            catch (Exception ex)
            {
                // An answer we cannot price is recorded without cost; the client already has it.
                Log.RecordAttemptFailed(owner._logger, route, ex);
            }

            var ttft = owner._time.GetElapsedTime(_started, first.FirstByteAt);
            End(outcome, served.Error, served.Status, usage, cost, served.Message, ttft);
        }
    }

    /// <summary>The last bytes of a stream, to see whether it ended with <c>data: [DONE]</c>.</summary>
    private sealed class StreamTail
    {
        private readonly byte[] _bytes = new byte[32];
        private int _length;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (data.Length >= _bytes.Length)
            {
                data[^_bytes.Length..].CopyTo(_bytes);
                _length = _bytes.Length;
                return;
            }

            var keep = Math.Min(_length, _bytes.Length - data.Length);
            _bytes.AsSpan(_length - keep, keep).CopyTo(_bytes);
            data.CopyTo(_bytes.AsSpan(keep));
            _length = keep + data.Length;
        }

        public bool EndsWithDone() => _bytes.AsSpan(0, _length).TrimEnd("\r\n "u8).EndsWith("[DONE]"u8);
    }

    private sealed record CallContext(CandidateForwarder Owner, string Route, ReadOnlyMemory<byte> Body, bool Streamed);

    /// <summary>The candidate's response up to its first body bytes (or why it failed before them).</summary>
    private sealed class FirstBytes : IDisposable
    {
        private byte[]? _buffer;

        public FirstBytes(HttpResponseMessage response, Stream stream, byte[] buffer, int status)
        {
            Response = response;
            Stream = stream;
            _buffer = buffer;
            Status = status;
        }

        private FirstBytes(ErrorClass error, int? status, string message, TimeSpan? retryAfter)
        {
            Failed = true;
            Error = error;
            Status = status;
            Message = message;
            RetryAfter = retryAfter;
        }

        public bool Failed { get; }

        public ErrorClass Error { get; }

        public int? Status { get; }

        public string? Message { get; }

        /// <summary>The wait a 429 asked for (<c>Retry-After</c> or <c>retry-after-ms</c>); null when none.</summary>
        public TimeSpan? RetryAfter { get; }

        public HttpResponseMessage? Response { get; }

        public Stream? Stream { get; }

        public byte[] Buffer => _buffer ?? [];

        public int Count { get; set; }

        public long FirstByteAt { get; set; }

        public static FirstBytes Failure(ErrorClass error, int? status, string message, TimeSpan? retryAfter = null) => new(error, status, message, retryAfter);

        public void Dispose()
        {
            Stream?.Dispose();
            Response?.Dispose();
            if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, EventName = "CandidateBreakerOpened", Level = LogLevel.Warning,
            Message = "The candidate circuit breaker opened for {BreakDuration}: live requests go to the primary.")]
        public static partial void BreakerOpened(ILogger logger, TimeSpan breakDuration);

        [LoggerMessage(EventId = 1502, EventName = "CandidateBreakerClosed", Level = LogLevel.Information,
            Message = "The candidate circuit breaker closed: live requests may go to the candidate again.")]
        public static partial void BreakerClosed(ILogger logger);

        [LoggerMessage(EventId = 1503, EventName = "CandidateForwardFailed", Level = LogLevel.Error,
            Message = "Forwarding a request to {Route} to the candidate failed unexpectedly; it falls back to the primary.")]
        public static partial void ForwardFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1504, EventName = "CandidateFailedAfterCommit", Level = LogLevel.Warning,
            Message = "A candidate answer to {Route} broke off after it was committed ({Reason}); the client was told with an error.")]
        public static partial void FailedAfterCommit(ILogger logger, string route, string reason);

        [LoggerMessage(EventId = 1505, EventName = "CandidateRateLimited", Level = LogLevel.Information,
            Message = "The candidate answered 429 to a live request to {Route}: {Decision}.")]
        public static partial void RateLimited(ILogger logger, string route, string decision);

        [LoggerMessage(EventId = 1507, EventName = "CandidateAttemptRecordFailed", Level = LogLevel.Error,
            Message = "Recording a fallback-chain attempt of a request to {Route} failed; the response was not affected.")]
        public static partial void RecordAttemptFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1506, EventName = "CandidateNextModel", Level = LogLevel.Information,
            Message = "The candidate's {Model} failed a live request to {Route} ({Failure}); trying the fallback model {NextModel}.")]
        public static partial void NextModel(ILogger logger, string route, string model, string nextModel, string failure);
    }
}
