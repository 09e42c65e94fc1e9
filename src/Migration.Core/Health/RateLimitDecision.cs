namespace Migration.Core.Health;

/// <summary>The answer of <see cref="DeadlineBudget.OnRateLimited"/>.</summary>
/// <param name="Action">Retry after waiting, or fail over at once.</param>
/// <param name="Wait">How long to wait before the retry (zero when failing over).</param>
/// <param name="Reason">Why, with the numbers.</param>
public sealed record RateLimitDecision(RateLimitAction Action, TimeSpan Wait, string Reason);
