using Migration.Core.Exchange;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// How one call to the primary provider ended, as seen at the call itself (the outgoing handler, or the app's own
/// <see cref="HttpClient"/> call observed by <see cref="PrimaryCallObserver"/> in middleware mode): the provider's
/// status, not the app's answer.
/// </summary>
/// <param name="Error">The provider's outcome class (None for 2xx; Connection, Timeout for transport failures).</param>
/// <param name="Status">The provider's HTTP status; null when no response arrived.</param>
/// <param name="RetryAfter">The provider's <c>Retry-After</c> on a 429 (null when absent).</param>
/// <param name="Latency">From sending to the response headers (or the failure).</param>
internal readonly record struct ProviderCall(ErrorClass Error, int? Status, TimeSpan? RetryAfter, TimeSpan Latency);
