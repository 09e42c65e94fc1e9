using System.Globalization;

namespace Migration.Core.Health;

/// <summary>
/// One deadline for a whole request, shared by every attempt (retries, failover, fallback models): an attempt's
/// timeout is never longer than what is left, so retries never stack timeouts. Pure: times are inputs. Not
/// thread-safe (one request's attempts run one after the other).
/// </summary>
public sealed class DeadlineBudget
{
    private bool _rateLimitRetryUsed;

    /// <summary>A budget of <paramref name="budget"/> starting at <paramref name="start"/>.</summary>
    public DeadlineBudget(DateTimeOffset start, TimeSpan budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        Start = start;
        Budget = budget;
    }

    /// <summary>When the request started.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The whole budget.</summary>
    public TimeSpan Budget { get; }

    /// <summary>When the budget runs out.</summary>
    public DateTimeOffset Deadline => Start + Budget;

    /// <summary>Whether the one retry a 429 may earn was already used.</summary>
    public bool RateLimitRetryUsed => _rateLimitRetryUsed;

    /// <summary>Time left at <paramref name="now"/> (never negative).</summary>
    public TimeSpan Remaining(DateTimeOffset now)
    {
        var left = Deadline - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Whether nothing is left at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => Remaining(now) == TimeSpan.Zero;

    /// <summary>The timeout of an attempt starting at <paramref name="now"/>: its own limit, cut to what is left.</summary>
    public TimeSpan AttemptTimeout(TimeSpan perAttemptTimeout, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perAttemptTimeout, TimeSpan.Zero);
        var left = Remaining(now);
        return perAttemptTimeout < left ? perAttemptTimeout : left;
    }

    /// <summary>
    /// After a 429 at <paramref name="now"/>: honour <paramref name="retryAfter"/> (wait, then retry once) only when
    /// the wait plus <paramref name="minimumAttempt"/> (the least useful time for the retry) fits what is left and
    /// no 429 retry was used yet; otherwise fail over at once. A 429 without a Retry-After fails over.
    /// </summary>
    public RateLimitDecision OnRateLimited(TimeSpan? retryAfter, DateTimeOffset now, TimeSpan minimumAttempt = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumAttempt, TimeSpan.Zero);
        var left = Remaining(now);
        if (_rateLimitRetryUsed)
        {
            return new RateLimitDecision(RateLimitAction.FailOver, TimeSpan.Zero, "rate limited again after the one retry: fail over");
        }

        if (retryAfter is not { } wait)
        {
            return new RateLimitDecision(RateLimitAction.FailOver, TimeSpan.Zero, "rate limited without Retry-After: fail over");
        }

        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        if (wait + minimumAttempt > left)
        {
            return new RateLimitDecision(
                RateLimitAction.FailOver,
                TimeSpan.Zero,
                string.Create(CultureInfo.InvariantCulture, $"Retry-After {wait.TotalMilliseconds:0} ms does not fit the {left.TotalMilliseconds:0} ms left: fail over"));
        }

        _rateLimitRetryUsed = true;
        return new RateLimitDecision(
            RateLimitAction.RetryAfterWait,
            wait,
            string.Create(CultureInfo.InvariantCulture, $"Retry-After {wait.TotalMilliseconds:0} ms fits the {left.TotalMilliseconds:0} ms left: wait and retry once"));
    }
}
