using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Migration.AspNetCore.Capture;
using Migration.Core.Exchange;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The middleware's side of an exchange: the body comes from <see cref="HttpRequest.Body"/> (replayed to the app),
/// the primary is the app's own handler (<c>next</c>) with its response teed, and a candidate answer is written to
/// <see cref="HttpResponse"/>: status and headers, then each chunk as it arrives. A committed answer that breaks
/// off ends a stream with an SSE <c>error</c> event and resets the connection (never a clean end a client could
/// take for complete). The result type carries nothing.
/// </summary>
internal sealed class IncomingExchange(HttpContext context, RequestDelegate next) : IExchangeAdapter<ValueTuple>
{
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    public CancellationToken AnswerAborted => context.RequestAborted;

    public bool PrimaryIsProviderCall => false;

    public Task<CaptureBuffer?> CaptureBodyAsync(int limit, CancellationToken cancellationToken) =>
        RequestCapture.CaptureAsync(context.Request, limit, cancellationToken);

    public async Task<ValueTuple> ServePrimaryAsync(PrimaryTap? tap)
    {
        if (tap is null)
        {
            await next(context).ConfigureAwait(false);
            return default;
        }

        IHttpResponseBodyFeature? originalFeature = null;
        ResponseTee? tee = null;
        try
        {
            originalFeature = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            tee = new ResponseTee(originalFeature, tap.Copy, tap.Time);
            context.Features.Set<IHttpResponseBodyFeature>(tee);
        }
        catch (Exception ex)
        {
            // The harness could not set itself up: serve the request as if it were not there.
            if (originalFeature is not null)
            {
                context.Features.Set(originalFeature);
            }

            tee = null;
            tap.Abandon(ex);
        }

        var appFailed = false;
        try
        {
            await next(context).ConfigureAwait(false);
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

            if (tee is not null)
            {
                tee.DetachCopy();
                var status = appFailed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                tap.Complete(new PrimaryEnd(
                    status,
                    context.Response.ContentType,
                    tee.FirstByteTimestamp,
                    tee.FirstContentTimestamp,
                    appFailed ? ErrorClass.ServerError : null,
                    context.RequestAborted.IsCancellationRequested));
            }
        }

        return default;
    }

    public async Task<ValueTuple> CommitCandidateAsync(CandidateAnswer answer)
    {
        using (answer)
        {
            var response = context.Response;
            var committed = false;
            try
            {
                response.StatusCode = answer.Status;
                if (answer.ContentType is { } contentType)
                {
                    response.ContentType = contentType;
                }

                response.Headers[CandidateForwarder.ServedByHeader] = "candidate";
                if (answer.IsEventStream)
                {
                    response.Headers.CacheControl = "no-cache";
                    context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                }

                committed = true;
                var first = true;
                while (true)
                {
                    var chunk = await answer.ReadChunkAsync().ConfigureAwait(false);
                    if (chunk.IsEmpty)
                    {
                        break;
                    }

                    await response.Body.WriteAsync(chunk, answer.Token).ConfigureAwait(false);
                    if (first || answer.IsEventStream)
                    {
                        await response.Body.FlushAsync(answer.Token).ConfigureAwait(false);
                    }

                    first = false;
                }
            }
            catch (Exception ex)
            {
                var ended = answer.Fail(ex);
                if (committed && ended.Outcome == CandidateForwardOutcome.FailedAfterCommit)
                {
                    await EndWithErrorAsync(context, answer.IsEventStream, ended.Message ?? ended.Error.ToString()).ConfigureAwait(false);
                }
            }
        }

        return default;
    }

    public ValueTuple CallerGone() => default;

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
}
