using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Capture;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Telemetry;
using Migration.AspNetCore.Traffic;
using Migration.Core.Exchange;
using Migration.Core.Health;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// Observes the configured OpenAI routes: captures the request body (bounded) and decides once who serves the
/// request. The candidate (canary flag on for this request, or the primary failed over) is served through
/// <see cref="CandidateForwarder"/>, falling back to the application's own handler when the candidate fails before
/// its first byte. Primary-served requests get their answer teed as it is written (never delaying it), and sampled
/// ones are queued for mirroring. Every outcome is folded into the traffic aggregator per arm and reported to
/// <see cref="IProviderHealthReporter"/> as a passive health signal of the primary (the candidate's own calls are
/// reported by the forwarder). Everything else goes straight to the next middleware. A fault of the harness never changes what
/// the client gets; the application's own exceptions propagate unchanged.
/// </summary>
internal sealed partial class MigrationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly FrozenSet<string> _routes;
    private readonly ShadowOptions _shadow;
    private readonly ShadowControl _control;
    private readonly ShadowSampler _sampler;
    private readonly ShadowQueue _queue;
    private readonly TrafficAggregator _aggregator;
    private readonly HarnessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<MigrationMiddleware> _logger;
    private readonly CanaryRouter _router;
    private readonly CandidateForwarder _forwarder;
    private readonly IProviderHealthReporter _health;

    public MigrationMiddleware(
        RequestDelegate next,
        IOptions<MigrationHarnessOptions> options,
        ShadowControl control,
        ShadowSampler sampler,
        ShadowQueue queue,
        TrafficAggregator aggregator,
        HarnessMetrics metrics,
        TimeProvider time,
        ILogger<MigrationMiddleware> logger,
        CanaryRouter router,
        CandidateForwarder forwarder,
        IProviderHealthReporter health)
    {
        ArgumentNullException.ThrowIfNull(next);
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
        _health = health;
        _router = router;
        _forwarder = forwarder;
        _next = next;
        _routes = options.Value.EffectiveRoutes.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _shadow = options.Value.Shadow;
        _control = control;
        _sampler = sampler;
        _queue = queue;
        _aggregator = aggregator;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path.Value is not { } path || !_routes.Contains(path))
        {
            return _next(context);
        }

        return InvokeObservedAsync(context, path);
    }

    private async Task InvokeObservedAsync(HttpContext context, string route)
    {
        var started = 0L;
        var startedAt = DateTimeOffset.MinValue;
        var originalBody = context.Request.Body;
        CaptureBuffer? requestBody = null;
        CaptureBuffer? responseCopy = null;
        ResponseTee? tee = null;
        IHttpResponseBodyFeature? originalFeature = null;
        var sampled = false;
        var candidateRoute = CandidateRoute.Primary;
        OpenAIRequestInfo? info = null;

        try
        {
            started = _time.GetTimestamp();
            startedAt = _time.GetUtcNow();
            requestBody = await RequestCapture.CaptureAsync(context.Request, _shadow.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            info = requestBody is { Overflowed: false } captured && OpenAIRequestReader.TryRead(captured.Memory.Span, out var read) ? read : null;

            // One decision per request: the candidate serves it (canary or failover) only when the whole body is
            // in hand, so a failure before commit can replay it to the primary.
            if (info is not null)
            {
                candidateRoute = await _router.ChooseAsync(context).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.SetupFailed(_logger, route, ex);
            candidateRoute = CandidateRoute.Primary;
        }

        if (candidateRoute == CandidateRoute.CanaryBlocked && info is not null)
        {
            try
            {
                var model = info.Model ?? TrafficAggregator.UnknownModel;
                _aggregator.RecordRequest(TrafficArm.Canary, model, ErrorClass.Fallback, TimeSpan.Zero, null);
                _metrics.RequestFinished(TrafficArm.Canary, ErrorClass.Fallback, TimeSpan.Zero, "breaker_open");
            }
            catch (Exception ex)
            {
                Log.RecordFailed(_logger, route, ex);
            }
        }
        else if (candidateRoute != CandidateRoute.Primary && requestBody is not null && info is not null)
        {
            var reason = candidateRoute == CandidateRoute.Failover ? "failover" : "canary";
            CandidateForwardResult result;
            try
            {
                result = await _forwarder.ForwardAsync(context, route, requestBody.Memory, info, reason).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                // A fault of the harness before anything was sent: the primary serves the request.
                Log.SetupFailed(_logger, route, ex);
                result = new CandidateForwardResult(CandidateForwardOutcome.FallBack, ErrorClass.Other, null, "forwarding failed: " + ex.GetType().Name, TimeSpan.Zero, null);
            }

            var model = info.Model ?? TrafficAggregator.UnknownModel;
            try
            {
                if (result.Outcome != CandidateForwardOutcome.ClientAborted)
                {
                    var error = result.MustFallBack ? ErrorClass.Fallback : result.Error;
                    _aggregator.RecordRequest(TrafficArm.Canary, model, error, result.Latency, result.Ttft);
                    _metrics.RequestFinished(TrafficArm.Canary, error, result.Latency, reason);
                }

                if (result.MustFallBack)
                {
                    Log.FellBack(_logger, route, reason, result.Message ?? result.Error.ToString());
                }
            }
            catch (Exception ex)
            {
                Log.RecordFailed(_logger, route, ex);
            }

            if (!result.MustFallBack)
            {
                context.Request.Body = originalBody;
                requestBody.Dispose();
                return;
            }

            // Served by the primary after all (the captured body is replayed untouched); timed from here, not shadowed.
            started = _time.GetTimestamp();
            startedAt = _time.GetUtcNow();
        }

        try
        {
            var settings = _control.Settings;
            sampled = candidateRoute == CandidateRoute.Primary && settings.Enabled && _sampler.ShouldSample(context, settings.SampleRate);
            if (sampled && requestBody is { Overflowed: false })
            {
                responseCopy = new CaptureBuffer(_shadow.MaxResponseBytes);
            }

            originalFeature = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            tee = new ResponseTee(originalFeature, responseCopy, _time);
            context.Features.Set<IHttpResponseBodyFeature>(tee);
        }
        catch (Exception ex)
        {
            // The harness could not set itself up: serve the request as if it were not there. A captured request
            // body stays alive: the application may be reading it through the replay stream.
            Log.SetupFailed(_logger, route, ex);
            if (originalFeature is not null)
            {
                context.Features.Set(originalFeature);
            }

            responseCopy?.Dispose();
            responseCopy = null;
            tee = null;
            sampled = false;
        }

        var appFailed = false;
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch
        {
            appFailed = true;
            throw;
        }
        finally
        {
            if (originalFeature is not null)
            {
                context.Features.Set(originalFeature);
            }

            context.Request.Body = originalBody;
            try
            {
                if (tee is not null && Complete(context, route, startedAt, started, _time.GetTimestamp(), tee, requestBody, info, responseCopy, sampled, appFailed))
                {
                    // The queued exchange owns the buffers now.
                    requestBody = null;
                    responseCopy = null;
                    _metrics.ShadowEnqueued();
                }
            }
            catch (Exception ex)
            {
                Log.RecordFailed(_logger, route, ex);
            }
            finally
            {
                responseCopy?.Dispose();
                requestBody?.Dispose();
            }
        }
    }

    /// <summary>Records the outcome; true when the exchange was queued (and took the buffers).</summary>
    private bool Complete(
        HttpContext context,
        string route,
        DateTimeOffset startedAt,
        long started,
        long ended,
        ResponseTee tee,
        CaptureBuffer? requestBody,
        OpenAIRequestInfo? info,
        CaptureBuffer? responseCopy,
        bool sampled,
        bool appFailed)
    {
        tee.DetachCopy();
        var status = appFailed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var latency = _time.GetElapsedTime(started, ended);
        TimeSpan? ttft = tee.FirstByteTimestamp is { } first ? _time.GetElapsedTime(started, first) : null;

        var model = info?.Model ?? TrafficAggregator.UnknownModel;
        var error = appFailed ? ErrorClass.ServerError : ErrorClassifier.FromStatus(status);
        _aggregator.RecordRequest(TrafficArm.Primary, model, error, latency, ttft);
        _metrics.RequestFinished(TrafficArm.Primary, error, latency);
        if (!context.RequestAborted.IsCancellationRequested)
        {
            // A passive health signal for the primary (in memory; 4xx are ignored by the reporter). A client that
            // went away says nothing about the provider.
            _health.Report(ProviderRole.Primary, error, latency);
        }

        if (!sampled)
        {
            return false;
        }

        if (requestBody is null || responseCopy is null || requestBody.Overflowed || responseCopy.Overflowed || info is null)
        {
            _metrics.ShadowDropped(ShadowDropReason.TooLarge);
            return false;
        }

        if (appFailed || context.RequestAborted.IsCancellationRequested)
        {
            // Nothing comparable reached the client.
            return false;
        }

        _aggregator.RecordShadowSampled(model);
        if (_control.IsPaused)
        {
            _aggregator.RecordShadowDropped(model);
            _metrics.ShadowDropped(ShadowDropReason.Paused);
            return false;
        }

        var exchange = new ShadowExchange
        {
            RequestId = context.TraceIdentifier,
            Route = route,
            Model = model,
            Streamed = info.Stream,
            Kind = info.Kind,
            StartedAt = startedAt,
            RequestBody = requestBody,
            PrimaryStatus = status,
            PrimaryContentType = context.Response.ContentType,
            PrimaryLatency = latency,
            PrimaryTtft = ttft,
            PrimaryBody = responseCopy,
        };

        if (!_queue.TryEnqueue(exchange))
        {
            _aggregator.RecordShadowDropped(model);
            _metrics.ShadowDropped(ShadowDropReason.QueueFull);
            return false;
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, EventName = "HarnessSetupFailed", Level = LogLevel.Error,
            Message = "The migration harness could not observe a request to {Route}; it was served without the harness.")]
        public static partial void SetupFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1102, EventName = "HarnessRecordFailed", Level = LogLevel.Error,
            Message = "The migration harness could not record a request to {Route}; the response was not affected.")]
        public static partial void RecordFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1103, EventName = "CandidateFellBack", Level = LogLevel.Debug,
            Message = "A {Reason} request to {Route} fell back to the primary before anything was sent: {Failure}.")]
        public static partial void FellBack(ILogger logger, string route, string reason, string failure);
    }
}
