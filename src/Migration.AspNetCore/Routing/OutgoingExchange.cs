using Migration.AspNetCore.Capture;
using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The handler's side of one attempt of an exchange: the body comes from the app's <see cref="HttpRequestMessage"/>
/// content (captured, and the content replaced by one that replays it), the primary is the inner handler (the real
/// provider call) with its response content teed, and a candidate answer becomes an <see cref="HttpResponseMessage"/>
/// whose content streams the answer to the app's code. The attempt ends (its hold on the captured body released)
/// when its answer ended or was disposed, or it failed.
/// </summary>
internal sealed class OutgoingExchange(MigrationHandler handler, HttpRequestMessage request, OutgoingRequest owner, CancellationToken cancellationToken)
    : IExchangeAdapter<HttpResponseMessage>
{
    private const int ReadSize = 16 * 1024;

    private int _ended;

    /// <summary>The app cancels each read of the answer itself.</summary>
    public CancellationToken AnswerAborted => CancellationToken.None;

    /// <summary>The inner handler's call is the provider call: its outcome is a passive health signal.</summary>
    public bool PrimaryIsProviderCall => true;

    public async Task<CaptureBuffer?> CaptureBodyAsync(int limit, CancellationToken cancellationToken)
    {
        var original = request.Content;
        if (original is null || original.Headers.ContentLength > limit)
        {
            return null;
        }

        var source = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new CaptureBuffer(limit, original.Headers.ContentLength + 1);
        var complete = false;
        try
        {
            while (true)
            {
                var space = buffer.GetReadSpace(ReadSize);
                var read = await source.ReadAsync(space, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    complete = true;
                    break;
                }

                buffer.Commit(read);
                if (buffer.Overflowed)
                {
                    break;
                }
            }
        }
        catch (Exception)
        {
            // Not the harness's failure: the send replays what was read and then fails the same way.
            buffer.MarkOverflowed();
        }

        request.Content = new CapturedRequestContent(buffer, complete ? null : new ReplayStream(ReadOnlyMemory<byte>.Empty, source), original, owner);
        if (complete)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        return buffer;
    }

    public async Task<HttpResponseMessage> ServePrimaryAsync(PrimaryTap? tap)
    {
        var exchange = tap?.Request;
        var sent = tap?.Time.GetTimestamp() ?? 0;
        HttpResponseMessage response;
        try
        {
            response = await handler.SendPrimaryAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var gone = cancellationToken.IsCancellationRequested;
            var error = ErrorClassifier.FromException(ex);
            if (!gone && exchange is not null && tap!.Pipeline.CanRescue(exchange, new ProviderCall(error, null, null, tap.Time.GetElapsedTime(sent)))
                && await tap.Pipeline.RescueAsync(exchange, request, End, cancellationToken).ConfigureAwait(false) is { } rescued)
            {
                // The primary failed before its first byte; the candidate answers in the same deadline.
                tap.Complete(new PrimaryEnd(0, null, null, null, error, CallerGone: false, BodyComplete: false));
                return rescued;
            }

            tap?.Complete(new PrimaryEnd(0, null, null, null, gone ? null : error, gone, BodyComplete: false));
            End();
            throw;
        }

        if (exchange is not null && RescueCall(response, tap!, sent) is { } failed
            && await tap!.Pipeline.RescueAsync(exchange, request, End, cancellationToken).ConfigureAwait(false) is { } served)
        {
            tap.Complete(new PrimaryEnd((int)response.StatusCode, null, null, null, failed.Error, CallerGone: false, BodyComplete: false));
            response.Dispose();
            return served;
        }

        if (tap is null)
        {
            End();
            return response;
        }

        try
        {
            response.Content = new PrimaryResponseContent(response.Content, tap, (int)response.StatusCode, End);
        }
        catch (Exception ex)
        {
            tap.Abandon(ex);
            End();
        }

        return response;
    }

    /// <summary>The provider call a failed primary response was, when the candidate may serve the request instead.</summary>
    private static ProviderCall? RescueCall(HttpResponseMessage response, PrimaryTap tap, long sent)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return null;
        }

        var error = ErrorClassifier.FromStatus(status);
        TimeSpan? retryAfter = error == ErrorClass.RateLimited ? RetryAfterHeader.Read(response.Headers, tap.Time.GetUtcNow()) : null;
        var call = new ProviderCall(error, status, retryAfter, tap.Time.GetElapsedTime(sent));
        return tap.Pipeline.CanRescue(tap.Request, call) ? call : null;
    }

    public Task<HttpResponseMessage> CommitCandidateAsync(CandidateAnswer answer)
    {
        try
        {
            return Task.FromResult(CandidateResponseContent.ToResponse(answer, request, End));
        }
        catch
        {
            answer.Dispose();
            End();
            throw;
        }
    }

    public HttpResponseMessage CallerGone()
    {
        End();
        cancellationToken.ThrowIfCancellationRequested();
        throw new TaskCanceledException("The request was cancelled before an answer arrived.");
    }

    /// <summary>Ends the attempt once (idempotent): the next attempt of the same message may start.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            owner.EndAttempt();
        }
    }
}
