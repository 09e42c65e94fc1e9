using Migration.AspNetCore.Capture;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// What an adapter (the incoming middleware, the outgoing HTTP handler) supplies to <see cref="ExchangePipeline"/>:
/// the request body, "serve from the primary" and "commit the candidate's answer", in its own terms
/// (<c>HttpContext</c>, <see cref="HttpRequestMessage"/>). The pipeline decides which is called, times and records
/// both; the adapter only moves bytes.
/// </summary>
/// <typeparam name="TResult">What the adapter's caller gets back (nothing for the middleware, the response for the handler).</typeparam>
internal interface IExchangeAdapter<TResult>
{
    /// <summary>
    /// Cancelled when the caller of a committed candidate answer is gone for good (the middleware's client
    /// disconnecting); <see cref="CancellationToken.None"/> when the caller cancels each read itself (the handler).
    /// </summary>
    CancellationToken AnswerAborted { get; }

    /// <summary>
    /// Whether the primary this adapter serves is the provider call itself (the outgoing handler: its status is the
    /// provider's, a passive health signal), or the app's own handler (the middleware: its status is the app's; the
    /// provider calls it makes are observed by <see cref="PrimaryCallObserver"/> instead).
    /// </summary>
    bool PrimaryIsProviderCall { get; }

    /// <summary>
    /// Reads the request body up to <paramref name="limit"/> bytes, leaving the request able to be sent (or read by
    /// the app) exactly as before. Null when the body is known to be too large without reading it.
    /// </summary>
    Task<CaptureBuffer?> CaptureBodyAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Serves the request from the primary, teeing the answer into <paramref name="tap"/> as it streams (never
    /// delaying it) and completing the tap when the answer ended; a null tap means "serve without the harness".
    /// </summary>
    Task<TResult> ServePrimaryAsync(PrimaryTap? tap);

    /// <summary>Hands the candidate's answer (first bytes in) to the caller; the answer records itself when it ends.</summary>
    Task<TResult> CommitCandidateAsync(CandidateAnswer answer);

    /// <summary>What the caller gets when it went away before anything was served.</summary>
    TResult CallerGone();
}
