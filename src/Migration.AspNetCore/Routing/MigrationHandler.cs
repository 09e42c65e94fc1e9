using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Migration.AspNetCore.Canary;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The outgoing adapter: a <see cref="DelegatingHandler"/> on the app's provider <see cref="HttpClient"/>
/// (<c>AddMigrationHandler()</c>). A POST to one of the configured routes (by the path's end, so any base URL works)
/// runs through <see cref="ExchangePipeline"/> with an <see cref="OutgoingExchange"/>: the request the app built is
/// what is routed and mirrored; the primary is the inner handler (the app's real call); a candidate answer is
/// streamed back as the response. The sticky keys are the app's explicit one (<see cref="MigrationStickyKey"/>) or
/// the ambient request's (<c>Canary:StickyKey</c>, <c>Shadow:StickyKey</c>). The app's retries of the same message
/// (an outer <c>AddStandardResilienceHandler()</c>) keep its arm and are mirrored at most once. Everything else goes
/// straight to the inner handler, without an async state machine.
/// </summary>
internal sealed class MigrationHandler : DelegatingHandler
{
    private readonly ExchangePipeline _pipeline;
    private readonly CanaryAssignment _assignment;
    private readonly IHttpContextAccessor? _accessor;

    public MigrationHandler(ExchangePipeline pipeline, CanaryAssignment assignment, IHttpContextAccessor? accessor)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(assignment);
        _pipeline = pipeline;
        _assignment = assignment;
        _accessor = accessor;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(OutgoingRequest.OptionKey, out var known))
        {
            return SendObservedAsync(request, known, cancellationToken);
        }

        if (request.Method != HttpMethod.Post || request.Content is null || request.RequestUri is not { IsAbsoluteUri: true } uri
            || _pipeline.OutgoingRouteOf(uri.AbsolutePath) is not { } route)
        {
            return base.SendAsync(request, cancellationToken);
        }

        OutgoingRequest state;
        try
        {
            state = new OutgoingRequest(NewExchange(request, route));
            request.Options.Set(OutgoingRequest.OptionKey, state);
        }
        catch (Exception ex)
        {
            // The harness could not set itself up: the app's call goes out as if it were not there.
            _pipeline.Abandoned(route, ex);
            return base.SendAsync(request, cancellationToken);
        }

        return SendObservedAsync(request, state, cancellationToken);
    }

    /// <summary>The real provider call (the inner handler): the primary of every exchange.</summary>
    internal Task<HttpResponseMessage> SendPrimaryAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, OutgoingRequest state, CancellationToken cancellationToken)
    {
        if (!state.TryBeginAttempt())
        {
            // The same message sent twice at once (a hedging copy): one exchange is observed, the other goes out as is.
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var exchange = new OutgoingExchange(this, request, state, cancellationToken);
        try
        {
            return await _pipeline.RunAsync(state.Exchange, exchange, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            exchange.End();
            throw;
        }
    }

    private ExchangeRequest NewExchange(HttpRequestMessage request, string route)
    {
        var context = _accessor?.HttpContext;
        var explicitKey = MigrationStickyKey.Of(request);
        return new ExchangeRequest
        {
            Route = route,
            RequestId = context?.TraceIdentifier ?? Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N"),
            CanaryKey = explicitKey ?? (context is null ? null : _assignment.KeyOf(context)),
            ShadowKey = explicitKey ?? (context is null ? null : _pipeline.Sampler.KeyOf(context)),

            // The app may send the message again (its retries): the shadow takes a copy of the body.
            BodyTransferable = false,
        };
    }
}
