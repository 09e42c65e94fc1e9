using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Capture;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Traffic;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The per-exchange logic behind both adapters, free of <c>HttpContext</c>: captures the body (through the adapter,
/// bounded) and decides once who serves the request (<see cref="ExchangeRouter"/>). The candidate (canary flag on,
/// or the primary failed over) is started through <see cref="CandidateForwarder"/> and its answer committed by the
/// adapter once the first bytes are in; a failure before that falls back to the primary. Primary-served requests
/// get their answer teed as it streams (never delaying it, <see cref="PrimaryTap"/>), and sampled ones are queued
/// for mirroring. Every outcome is folded into the traffic aggregator and the metrics per arm. Passive health
/// signals come from provider calls only (<see cref="IProviderHealthReporter"/>): the primary-served answer when the
/// adapter's primary is the provider call (the outgoing handler), else the app's calls to <c>Primary:BaseUrl</c>
/// observed by <see cref="PrimaryCallObserver"/> (the middleware: the app's own status or exception is not the
/// provider's); the candidate's calls are reported by the forwarder. A fault of the harness never changes what the
/// caller gets.
/// </summary>
internal sealed partial class ExchangePipeline
{
    private readonly FrozenSet<string> _routes;
    private readonly (string Route, string Tail)[] _tails;
    private readonly ShadowOptions _shadow;
    private readonly ShadowControl _control;
    private readonly ShadowSampler _sampler;
    private readonly ShadowQueue _queue;
    private readonly TrafficAggregator _aggregator;
    private readonly HarnessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ExchangePipeline> _logger;
    private readonly ExchangeRouter _router;
    private readonly CandidateForwarder _forwarder;
    private readonly IProviderHealthReporter _health;
    private readonly IFailoverState _failover;
    private readonly TimeSpan _deadline;
    private readonly string? _primaryBase;

    /// <summary>The reason (metrics tag) of a request served by the candidate because its primary call failed.</summary>
    internal const string RescueReason = "rescue";

    private const string CanaryReason = "canary";

    private static readonly AsyncLocal<ExchangeRequest?> ObservedPrimary = new();

    public ExchangePipeline(
        IOptions<MigrationHarnessOptions> options,
        ShadowControl control,
        ShadowSampler sampler,
        ShadowQueue queue,
        TrafficAggregator aggregator,
        HarnessMetrics metrics,
        TimeProvider time,
        ILogger<ExchangePipeline> logger,
        ExchangeRouter router,
        CandidateForwarder forwarder,
        IProviderHealthReporter health,
        IFailoverState failover)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(failover);
        _failover = failover;
        _deadline = options.Value.Candidate.Timeout;
        _routes = options.Value.EffectiveRoutes.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _tails = [.. options.Value.EffectiveRoutes.Select(static r => (r, r.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) ? r[3..] : r))];
        _shadow = options.Value.Shadow;
        _control = control;
        _sampler = sampler;
        _queue = queue;
        _aggregator = aggregator;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _router = router;
        _forwarder = forwarder;
        _health = health;
        _primaryBase = options.Value.Primary.BaseUrl is { Length: > 0 } primary ? primary.TrimEnd('/') : null;
    }

    /// <summary>
    /// The exchange whose primary (the app's handler) runs on this async flow, when the app's calls to the provider
    /// are observed (<see cref="PrimaryCallObserver"/>); null elsewhere.
    /// </summary>
    internal static ExchangeRequest? ObservedExchange => ObservedPrimary.Value;

    /// <summary>Whether provider calls can be recognised at all (<c>Primary:BaseUrl</c> is configured).</summary>
    internal bool ObservesPrimaryCalls => _primaryBase is not null;

    /// <summary>Whether <paramref name="uri"/> is a call to the primary provider (under <c>Primary:BaseUrl</c>).</summary>
    internal bool IsPrimaryCall(Uri? uri)
    {
        if (_primaryBase is not { } root || uri is null || !uri.IsAbsoluteUri)
        {
            return false;
        }

        var text = uri.AbsoluteUri;
        return text.StartsWith(root, StringComparison.OrdinalIgnoreCase) && (text.Length == root.Length || text[root.Length] is '/' or '?');
    }

    /// <summary>
    /// A call to the primary provider made by the app's handler ended (<see cref="PrimaryCallObserver"/>): kept as the
    /// request's latest provider outcome and reported as a passive health signal. Never throws.
    /// </summary>
    internal void PrimaryCallEnded(ExchangeRequest request, in ProviderCall call)
    {
        try
        {
            request.PrimaryCall = call;
            _health.Report(ProviderRole.Primary, call.Error, call.Latency);
        }
        catch (Exception ex)
        {
            Log.RecordFailed(_logger, request.Route, ex);
        }
    }

    /// <summary>
    /// Whether the candidate may serve <paramref name="request"/> because its primary call failed before the first
    /// byte: a connection error, a 5xx, or a 429 whose <c>Retry-After</c> exceeds what is left of the deadline
    /// (<c>Candidate:Timeout</c> from the request's start); on a primary-arm request the candidate may serve, once,
    /// while failover is enabled, the candidate healthy and its breaker closed. Never throws.
    /// </summary>
    internal bool CanRescue(ExchangeRequest request, in ProviderCall call)
    {
        try
        {
            var failed = call.Error switch
            {
                ErrorClass.Connection or ErrorClass.ServerError => true,
                ErrorClass.RateLimited => call.RetryAfter is { } wait && wait > _deadline - _time.GetElapsedTime(request.Started),
                _ => false,
            };
            return failed && !request.Rescued && request.Arm == ExchangeArm.Primary && request.CandidateAllowed
                && request.Info is not null && request.CompleteBody is not null && !request.Aborted.IsCancellationRequested
                && _failover.CandidateCanRescue && _forwarder.IsAvailable;
        }
        catch (Exception ex)
        {
            Log.RecordFailed(_logger, request.Route, ex);
            return false;
        }
    }

    /// <summary>
    /// Serves <paramref name="request"/> (whose primary call failed, <see cref="CanRescue"/>) from the candidate in what
    /// is left of its deadline: the candidate's answer as the response to <paramref name="message"/> once its first
    /// bytes are in (<paramref name="ended"/> runs when it ended), recorded in the failover arm; null when the candidate
    /// failed too (the caller keeps the primary's failure). Never throws.
    /// </summary>
    internal async Task<HttpResponseMessage?> RescueAsync(ExchangeRequest request, HttpRequestMessage message, Action ended, CancellationToken aborted)
    {
        request.Rescued = true;
        try
        {
            var start = await _forwarder.StartAsync(request, RescueReason, aborted, CancellationToken.None, request.Started).ConfigureAwait(false);
            if (start.Answer is { } answer)
            {
                answer.Finished = result => RecordCandidate(request, RescueReason, result);
                try
                {
                    return CandidateResponseContent.ToResponse(answer, message, ended);
                }
                catch
                {
                    answer.Dispose();
                    throw;
                }
            }

            RecordCandidate(request, RescueReason, start.Failure!);
            return null;
        }
        catch (Exception ex)
        {
            Log.SetupFailed(_logger, request.Route, ex);
            return null;
        }
    }

    /// <summary>The clock every timing of an exchange uses.</summary>
    public TimeProvider Time => _time;

    /// <summary>The sampler whose sticky key (<c>Shadow:StickyKey</c>) adapters read.</summary>
    public ShadowSampler Sampler => _sampler;

    /// <summary>Whether <paramref name="route"/> is one the harness handles (<c>Routes</c>; POST only, exact match).</summary>
    public bool IsRoute(string route) => _routes.Contains(route);

    /// <summary>
    /// The route an outgoing request to <paramref name="path"/> is for: the configured route whose path after
    /// <c>/v1</c> ends <paramref name="path"/> (<c>/v1/chat/completions</c> for <c>/v1/chat/completions</c>, for a
    /// base URL without <c>/v1</c> such as <c>/chat/completions</c>, or behind a prefix); null when none is.
    /// </summary>
    public string? OutgoingRouteOf(string path)
    {
        if (_routes.Contains(path))
        {
            return path;
        }

        foreach (var (route, tail) in _tails)
        {
            if (path.EndsWith(tail, StringComparison.OrdinalIgnoreCase))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs one attempt of <paramref name="request"/>: on its first run captures, parses and routes it; then serves
    /// it from the candidate (committed through <paramref name="adapter"/>) or the primary, and records it.
    /// <paramref name="aborted"/> is this attempt's cancellation (the client, the app's token or its timeout).
    /// </summary>
    public async Task<TResult> RunAsync<TResult>(ExchangeRequest request, IExchangeAdapter<TResult> adapter, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(adapter);
        request.Aborted = aborted;
        request.PrimaryIsProviderCall = adapter.PrimaryIsProviderCall;
        if (!request.Prepared)
        {
            await PrepareAsync(request, adapter, aborted).ConfigureAwait(false);
        }
        else if (!TryRestartClock(request))
        {
            return await adapter.ServePrimaryAsync(null).ConfigureAwait(false);
        }

        var arm = request.Arm;
        if (arm == ExchangeArm.CanaryBlocked)
        {
            RecordBlocked(request);
        }
        else if (arm is ExchangeArm.Canary or ExchangeArm.Failover)
        {
            var reason = arm == ExchangeArm.Failover ? "failover" : CanaryReason;
            CandidateStart start;
            try
            {
                start = await _forwarder.StartAsync(request, reason, aborted, adapter.AnswerAborted).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A fault of the harness before anything was handed out: the primary serves the request.
                Log.SetupFailed(_logger, request.Route, ex);
                start = CandidateStart.Failed(new CandidateForwardResult(
                    CandidateForwardOutcome.FallBack, ErrorClass.Other, null, "forwarding failed: " + ex.GetType().Name, TimeSpan.Zero, null));
            }

            if (start.Answer is { } answer)
            {
                answer.Finished = result => RecordCandidate(request, reason, result);
                return await adapter.CommitCandidateAsync(answer).ConfigureAwait(false);
            }

            var failure = start.Failure!;
            RecordCandidate(request, reason, failure);
            if (!failure.MustFallBack)
            {
                return adapter.CallerGone();
            }

            // Served by the primary after all (the captured body is replayed untouched); timed from here, not shadowed.
            if (!TryRestartClock(request))
            {
                return await adapter.ServePrimaryAsync(null).ConfigureAwait(false);
            }
        }

        return await ServePrimaryAsync(request, adapter).ConfigureAwait(false);
    }

    /// <summary>Serves from the primary; the app's own calls to the provider are observed meanwhile (middleware mode).</summary>
    private async Task<TResult> ServePrimaryAsync<TResult>(ExchangeRequest request, IExchangeAdapter<TResult> adapter)
    {
        var tap = BeginPrimary(request);
        if (request.PrimaryIsProviderCall || tap is null || _primaryBase is null)
        {
            return await adapter.ServePrimaryAsync(tap).ConfigureAwait(false);
        }

        ObservedPrimary.Value = request;
        try
        {
            return await adapter.ServePrimaryAsync(tap).ConfigureAwait(false);
        }
        finally
        {
            // Work the app leaves running after its answer is not this exchange's.
            ObservedPrimary.Value = null;
        }
    }

    /// <summary>
    /// Records a primary-served attempt; true when the exchange was queued for mirroring (and took the copy). Called
    /// by <see cref="PrimaryTap.Complete"/>; never throws.
    /// </summary>
    internal bool CompletePrimary(PrimaryTap tap, in PrimaryEnd end, CaptureBuffer? copy)
    {
        var request = tap.Request;
        try
        {
            var latency = _time.GetElapsedTime(request.Started);
            TimeSpan? ttft = end.FirstContentTimestamp is { } content ? _time.GetElapsedTime(request.Started, content) : null;
            var model = request.Model;

            // A rescued request's primary attempt is the provider's failure, whatever the app made of the candidate's answer.
            var error = request.Rescued && request.PrimaryCall is { } call ? call.Error : end.Failure ?? ErrorClassifier.FromStatus(end.Status);
            _aggregator.RecordRequest(TrafficArm.Primary, model, error, latency, ttft);
            _metrics.RequestFinished(TrafficArm.Primary, error, latency);
            if (request.PrimaryIsProviderCall && !end.CallerGone)
            {
                // The answer is the provider's own: a passive health signal (in memory; 4xx and 429 are ignored by
                // the reporter). A caller that went away says nothing about the provider.
                _health.Report(ProviderRole.Primary, error, latency);
            }

            // An answer not read to its end (a retry discarding a 503) is not comparable; another attempt may be.
            if (!tap.Sampled || request.ShadowSettled || !end.BodyComplete || request.Rescued)
            {
                return false;
            }

            request.ShadowSettled = true;
            if (request.CompleteBody is null || copy is null || copy.Overflowed || request.Info is not { } info)
            {
                _metrics.ShadowDropped(ShadowDropReason.TooLarge);
                return false;
            }

            if (end.Failure is not null || end.CallerGone)
            {
                // Nothing comparable reached the caller.
                return false;
            }

            _aggregator.RecordShadowSampled(model);
            if (_control.IsPaused)
            {
                _aggregator.RecordShadowDropped(model);
                _metrics.ShadowDropped(ShadowDropReason.Paused);
                return false;
            }

            return Enqueue(request, info, end, latency, ttft, copy);
        }
        catch (Exception ex)
        {
            Log.RecordFailed(_logger, request.Route, ex);
            return false;
        }
    }

    /// <summary>An adapter could not observe a primary-served attempt: it was served without the harness.</summary>
    internal void Abandoned(ExchangeRequest request, Exception exception) => Abandoned(request.Route, exception);

    /// <summary>An adapter could not set up an exchange for <paramref name="route"/>: it was served without the harness.</summary>
    internal void Abandoned(string route, Exception exception) => Log.SetupFailed(_logger, route, exception);

    private async Task PrepareAsync<TResult>(ExchangeRequest request, IExchangeAdapter<TResult> adapter, CancellationToken aborted)
    {
        request.Prepared = true;
        request.Arm = ExchangeArm.Primary;
        try
        {
            request.Started = _time.GetTimestamp();
            request.StartedAt = _time.GetUtcNow();
            request.Body = await adapter.CaptureBodyAsync(_shadow.MaxBodyBytes, aborted).ConfigureAwait(false);
            request.Info = request.CompleteBody is { } body && OpenAIRequestReader.TryRead(body.Span, out var read) ? read : null;

            // One decision per request: the candidate serves it (canary or failover) only when the whole body is in
            // hand, so a failure before commit can replay it to the primary.
            if (request.Info is not null && request.CandidateAllowed)
            {
                request.Arm = await _router.DecideAsync(request.CanaryKey, aborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.SetupFailed(_logger, request.Route, ex);
            request.Arm = ExchangeArm.Primary;
        }
    }

    /// <summary>Times a new attempt from now; false (serve without the harness) when even the clock fails.</summary>
    private bool TryRestartClock(ExchangeRequest request)
    {
        try
        {
            request.Started = _time.GetTimestamp();
            request.StartedAt = _time.GetUtcNow();
            return true;
        }
        catch (Exception ex)
        {
            Log.SetupFailed(_logger, request.Route, ex);
            return false;
        }
    }

    /// <summary>The tap of a primary-served attempt; null (serve without the harness) when it cannot be set up.</summary>
    private PrimaryTap? BeginPrimary(ExchangeRequest request)
    {
        CaptureBuffer? copy = null;
        try
        {
            if (request.Sampled is not { } sampled)
            {
                var settings = _control.Settings;
                sampled = request.Arm == ExchangeArm.Primary && settings.Enabled && _sampler.ShouldSample(request.ShadowKey, settings.SampleRate);
                request.Sampled = sampled;
            }

            if (sampled && !request.ShadowSettled && request.CompleteBody is not null)
            {
                copy = new CaptureBuffer(_shadow.MaxResponseBytes);
            }

            return new PrimaryTap(this, request, sampled, copy);
        }
        catch (Exception ex)
        {
            Log.SetupFailed(_logger, request.Route, ex);
            copy?.Dispose();
            return null;
        }
    }

    private bool Enqueue(ExchangeRequest request, OpenAIRequestInfo info, in PrimaryEnd end, TimeSpan latency, TimeSpan? ttft, CaptureBuffer copy)
    {
        var body = request.TakeBodyForShadow(_shadow.MaxBodyBytes)!;
        var exchange = new ShadowExchange
        {
            RequestId = request.RequestId,
            Route = request.Route,
            Model = request.Model,
            Streamed = info.Stream,
            Kind = info.Kind,
            StartedAt = request.StartedAt,
            RequestBody = body,
            PrimaryStatus = end.Status,
            PrimaryContentType = end.ContentType,
            PrimaryLatency = latency,
            PrimaryTtft = ttft,
            PrimaryFirstByte = end.FirstByteTimestamp is { } first ? _time.GetElapsedTime(request.Started, first) : null,
            PrimaryBody = copy,
        };

        if (!_queue.TryEnqueue(exchange))
        {
            body.Dispose();
            _aggregator.RecordShadowDropped(request.Model);
            _metrics.ShadowDropped(_queue.IsClosed ? ShadowDropReason.Stopped : ShadowDropReason.QueueFull);
            return false;
        }

        _metrics.ShadowEnqueued();
        return true;
    }

    private void RecordBlocked(ExchangeRequest request)
    {
        try
        {
            _aggregator.RecordRequest(TrafficArm.Canary, request.Model, ErrorClass.Fallback, TimeSpan.Zero, null);
            _metrics.RequestFinished(TrafficArm.Canary, ErrorClass.Fallback, TimeSpan.Zero, "breaker_open");
        }
        catch (Exception ex)
        {
            Log.RecordFailed(_logger, request.Route, ex);
        }
    }

    private void RecordCandidate(ExchangeRequest request, string reason, CandidateForwardResult result)
    {
        try
        {
            if (result.Outcome != CandidateForwardOutcome.ClientAborted)
            {
                // Failover-served traffic has its own arm: a primary outage never counts as canary traffic.
                var arm = reason == CanaryReason ? TrafficArm.Canary : TrafficArm.Failover;
                var error = result.MustFallBack ? ErrorClass.Fallback : result.Error;
                _aggregator.RecordRequest(arm, request.Model, error, result.Latency, result.Ttft);
                _metrics.RequestFinished(arm, error, result.Latency, reason);
            }

            if (result.MustFallBack)
            {
                Log.FellBack(_logger, request.Route, reason, result.Message ?? result.Error.ToString());
            }
        }
        catch (Exception ex)
        {
            Log.RecordFailed(_logger, request.Route, ex);
        }
    }
}
