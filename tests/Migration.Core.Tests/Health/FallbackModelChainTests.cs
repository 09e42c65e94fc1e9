using Migration.Core.Exchange;
using Migration.Core.Health;

namespace Migration.Core.Tests.Health;

public sealed class FallbackModelChainTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly FallbackModelChain Chain = new(new Dictionary<string, IList<string>>
    {
        ["gpt-4.1"] = ["gemini-2.5-flash", "deepseek-v3.2", "GPT-4.1", "gemini-2.5-flash"],
    });

    [Fact]
    public void Plan_ConfiguredModel_ModelThenFallbacksWithoutRepeats()
    {
        Assert.Equal(["gpt-4.1", "gemini-2.5-flash", "deepseek-v3.2"], Chain.Plan("gpt-4.1"));
        Assert.Equal(["GPT-4.1", "gemini-2.5-flash", "deepseek-v3.2"], Chain.Plan("GPT-4.1"));
    }

    [Fact]
    public void Plan_UnconfiguredModel_OnlyItself()
    {
        Assert.Equal(["o3"], Chain.Plan("o3"));
        Assert.Equal(["gpt-4.1"], FallbackModelChain.None.Plan("gpt-4.1"));
    }

    [Theory]
    [InlineData(ErrorClass.None, false)]
    [InlineData(ErrorClass.ClientError, false)]
    [InlineData(ErrorClass.ServerError, true)]
    [InlineData(ErrorClass.Timeout, true)]
    [InlineData(ErrorClass.RateLimited, true)]
    [InlineData(ErrorClass.Connection, true)]
    [InlineData(ErrorClass.TruncatedStream, true)]
    public void ShouldTryNext_Outcome_OnlyProviderFailures(ErrorClass outcome, bool expected)
    {
        Assert.Equal(expected, FallbackModelChain.ShouldTryNext(outcome));
    }

    [Fact]
    public void Next_FailuresWithinBudget_WalksTheChainThenStops()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(30));
        var attempts = new List<FallbackAttempt>();
        var min = TimeSpan.FromSeconds(1);

        Assert.Equal("gpt-4.1", Chain.Next("gpt-4.1", attempts, budget, T0, min));
        attempts.Add(new FallbackAttempt("gpt-4.1", ErrorClass.ServerError, TimeSpan.FromSeconds(1), null));
        Assert.Equal("gemini-2.5-flash", Chain.Next("gpt-4.1", attempts, budget, T0.AddSeconds(1), min));
        attempts.Add(new FallbackAttempt("gemini-2.5-flash", ErrorClass.Timeout, TimeSpan.FromSeconds(5), null));
        Assert.Equal("deepseek-v3.2", Chain.Next("gpt-4.1", attempts, budget, T0.AddSeconds(6), min));
        attempts.Add(new FallbackAttempt("deepseek-v3.2", ErrorClass.RateLimited, TimeSpan.FromSeconds(1), null));
        Assert.Null(Chain.Next("gpt-4.1", attempts, budget, T0.AddSeconds(7), min));
    }

    [Fact]
    public void Next_SuccessOrClientError_Stops()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(30));

        Assert.Null(Chain.Next("gpt-4.1", [new FallbackAttempt("gpt-4.1", ErrorClass.None, TimeSpan.FromSeconds(1), 0.01m)], budget, T0, TimeSpan.Zero));
        Assert.Null(Chain.Next("gpt-4.1", [new FallbackAttempt("gpt-4.1", ErrorClass.ClientError, TimeSpan.FromSeconds(1), null)], budget, T0, TimeSpan.Zero));
    }

    [Fact]
    public void Next_BudgetAlmostSpent_Stops()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));
        FallbackAttempt[] attempts = [new("gpt-4.1", ErrorClass.Timeout, TimeSpan.FromSeconds(9.5), null)];

        Assert.Null(Chain.Next("gpt-4.1", attempts, budget, T0.AddSeconds(9.5), TimeSpan.FromSeconds(1)));
        Assert.Equal("gemini-2.5-flash", Chain.Next("gpt-4.1", attempts, budget, T0.AddSeconds(8), TimeSpan.FromSeconds(1)));
    }
}
