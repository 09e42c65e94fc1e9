using Migration.Core.Health;

namespace Migration.Core.Tests.Health;

public sealed class DeadlineBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Remaining_AfterDeadline_Zero()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(4), budget.Remaining(T0.AddSeconds(6)));
        Assert.Equal(TimeSpan.Zero, budget.Remaining(T0.AddSeconds(11)));
        Assert.True(budget.IsExpired(T0.AddSeconds(10)));
        Assert.False(budget.IsExpired(T0.AddSeconds(9.9)));
    }

    [Fact]
    public void AttemptTimeout_RetriesAfterSlowAttempt_NeverExceedRemaining()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));
        var perAttempt = TimeSpan.FromSeconds(6);

        var first = budget.AttemptTimeout(perAttempt, T0);
        var second = budget.AttemptTimeout(perAttempt, T0 + first);
        var third = budget.AttemptTimeout(perAttempt, T0 + first + second);

        Assert.Equal(TimeSpan.FromSeconds(6), first);
        Assert.Equal(TimeSpan.FromSeconds(4), second);
        Assert.Equal(TimeSpan.Zero, third);
        Assert.Equal(budget.Budget, first + second + third);
    }

    [Fact]
    public void OnRateLimited_RetryAfterLongerThanRemaining_FailsOverAtOnce()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));

        var decision = budget.OnRateLimited(TimeSpan.FromSeconds(20), T0.AddSeconds(1));

        Assert.Equal(RateLimitAction.FailOver, decision.Action);
        Assert.Equal(TimeSpan.Zero, decision.Wait);
        Assert.Contains("does not fit the 9000 ms left", decision.Reason, StringComparison.Ordinal);
        Assert.False(budget.RateLimitRetryUsed);
    }

    [Fact]
    public void OnRateLimited_RetryAfterFitsOnlyWithoutMinimumAttempt_FailsOver()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));

        var decision = budget.OnRateLimited(TimeSpan.FromSeconds(8), T0.AddSeconds(1), minimumAttempt: TimeSpan.FromSeconds(2));

        Assert.Equal(RateLimitAction.FailOver, decision.Action);
    }

    [Fact]
    public void OnRateLimited_RetryAfterShorter_WaitsAndRetriesOnce()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));

        var first = budget.OnRateLimited(TimeSpan.FromSeconds(2), T0.AddSeconds(1), TimeSpan.FromSeconds(1));
        var second = budget.OnRateLimited(TimeSpan.FromSeconds(1), T0.AddSeconds(4), TimeSpan.FromSeconds(1));

        Assert.Equal(RateLimitAction.RetryAfterWait, first.Action);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Wait);
        Assert.Equal(RateLimitAction.FailOver, second.Action);
        Assert.Contains("again", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OnRateLimited_NoRetryAfter_FailsOver()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));

        Assert.Equal(RateLimitAction.FailOver, budget.OnRateLimited(null, T0).Action);
    }

    [Fact]
    public void OnRateLimited_NegativeRetryAfter_RetriesAtOnce()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));

        var decision = budget.OnRateLimited(TimeSpan.FromSeconds(-3), T0);

        Assert.Equal(RateLimitAction.RetryAfterWait, decision.Action);
        Assert.Equal(TimeSpan.Zero, decision.Wait);
    }

    [Fact]
    public void Constructor_NonPositiveBudget_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeadlineBudget(T0, TimeSpan.Zero));
    }
}
