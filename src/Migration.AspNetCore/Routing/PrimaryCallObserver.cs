using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// In middleware mode the primary is the app's own handler, whose answer says nothing certain about the provider (an
/// app exception, the app's own 429 or 500). This handler sits in every <see cref="IHttpClientFactory"/> client of
/// the app (<see cref="PrimaryCallObserverFilter"/>) and, while an exchange is observed on this async flow, hands the
/// outcome of each call to <c>Primary:BaseUrl</c> to <see cref="ExchangePipeline"/>: the passive health signal and the
/// evidence for serving a failed request from the candidate: a call that failed before its first byte is answered by the
/// candidate instead when <see cref="ExchangePipeline.CanRescue"/> allows it. Any other call passes through untouched, without an
/// async state machine.
/// </summary>
internal sealed class PrimaryCallObserver : DelegatingHandler
{
    private readonly ExchangePipeline _pipeline;

    public PrimaryCallObserver(ExchangePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var exchange = ExchangePipeline.ObservedExchange;
        return exchange is null || !_pipeline.IsPrimaryCall(request.RequestUri)
            ? base.SendAsync(request, cancellationToken)
            : ObserveAsync(exchange, request, cancellationToken);
    }

    private async Task<HttpResponseMessage> ObserveAsync(ExchangeRequest exchange, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var time = _pipeline.Time;
        var started = time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The caller going away says nothing about the provider; an HttpClient timeout does.
            var error = ex switch
            {
                OperationCanceledException when exchange.Aborted.IsCancellationRequested => (ErrorClass?)null,
                OperationCanceledException => ErrorClass.Timeout,
                HttpRequestException => ErrorClass.Connection,
                _ => null,
            };
            if (error is { } failed)
            {
                var call = new ProviderCall(failed, null, null, time.GetElapsedTime(started));
                _pipeline.PrimaryCallEnded(exchange, call);
                if (_pipeline.CanRescue(exchange, call)
                    && await _pipeline.RescueAsync(exchange, request, static () => { }, cancellationToken).ConfigureAwait(false) is { } rescued)
                {
                    // The app gets the candidate's answer instead of the failure (served in the same deadline).
                    return rescued;
                }
            }

            throw;
        }

        var status = (int)response.StatusCode;
        var outcome = ErrorClassifier.FromStatus(status);
        TimeSpan? retryAfter = outcome == ErrorClass.RateLimited ? RetryAfterHeader.Read(response.Headers, time.GetUtcNow()) : null;
        var ended = new ProviderCall(outcome, status, retryAfter, time.GetElapsedTime(started));
        _pipeline.PrimaryCallEnded(exchange, ended);
        if (_pipeline.CanRescue(exchange, ended)
            && await _pipeline.RescueAsync(exchange, request, static () => { }, cancellationToken).ConfigureAwait(false) is { } served)
        {
            response.Dispose();
            return served;
        }

        return response;
    }
}
