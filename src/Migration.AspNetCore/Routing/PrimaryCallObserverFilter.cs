using Microsoft.Extensions.Http;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// Adds <see cref="PrimaryCallObserver"/> as the innermost handler of every <see cref="IHttpClientFactory"/> client,
/// so each attempt the app makes to the primary (its retries included) is one provider call.
/// </summary>
internal sealed class PrimaryCallObserverFilter : IHttpMessageHandlerBuilderFilter
{
    private readonly ExchangePipeline _pipeline;

    public PrimaryCallObserverFilter(ExchangePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
    }

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (_pipeline.ObservesPrimaryCalls)
            {
                builder.AdditionalHandlers.Add(new PrimaryCallObserver(_pipeline));
            }
        };
    }
}
