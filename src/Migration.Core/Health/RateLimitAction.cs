namespace Migration.Core.Health;

/// <summary>What to do after a 429 (<see cref="DeadlineBudget.OnRateLimited"/>).</summary>
public enum RateLimitAction
{
    /// <summary>Wait <see cref="RateLimitDecision.Wait"/>, then retry once on the same provider.</summary>
    RetryAfterWait = 0,

    /// <summary>Do not wait: go to the other provider (or the next fallback model) now.</summary>
    FailOver = 1,
}
