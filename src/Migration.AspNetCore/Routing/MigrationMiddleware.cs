using Microsoft.AspNetCore.Http;
using Migration.AspNetCore.Canary;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The incoming adapter: observes the configured OpenAI routes (POST, exact path) and runs each such request
/// through <see cref="ExchangePipeline"/> with an <see cref="IncomingExchange"/> (the request body, the app's own
/// handler as the primary, the candidate's answer written to the response). Everything else goes straight to the
/// next middleware, without an async state machine.
/// </summary>
internal sealed class MigrationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ExchangePipeline _pipeline;
    private readonly CanaryAssignment _assignment;

    public MigrationMiddleware(RequestDelegate next, ExchangePipeline pipeline, CanaryAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(assignment);
        _next = next;
        _pipeline = pipeline;
        _assignment = assignment;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path.Value is not { } path || !_pipeline.IsRoute(path))
        {
            return _next(context);
        }

        return InvokeObservedAsync(context, path);
    }

    private async Task InvokeObservedAsync(HttpContext context, string route)
    {
        var originalBody = context.Request.Body;
        using var request = new ExchangeRequest
        {
            Route = route,
            RequestId = context.TraceIdentifier,
            CanaryKey = _assignment.KeyOf(context),
            ShadowKey = _pipeline.Sampler.KeyOf(context),

            // Once the app's handler returned nothing reads the captured body again: the shadow may take it.
            BodyTransferable = true,
        };

        try
        {
            await _pipeline.RunAsync(request, new IncomingExchange(context, _next), context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            context.Request.Body = originalBody;
        }
    }
}
