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
    public void Plan_MappedFirstModel_MappedNameFirstThenTheRequestedModelsFallbacks()
    {
        Assert.Equal(["holysheep/gpt-4.1", "gemini-2.5-flash", "deepseek-v3.2", "GPT-4.1"], Chain.Plan("gpt-4.1", "holysheep/gpt-4.1"));
        Assert.Equal(["deepseek-v3.2", "gemini-2.5-flash", "GPT-4.1"], Chain.Plan("gpt-4.1", "deepseek-v3.2"));
    }

    [Fact]
    public void Plan_UnconfiguredModel_OnlyItself()
    {
        Assert.Equal(["o3"], Chain.Plan("o3"));
        Assert.Equal(["o3-mapped"], Chain.Plan("o3", "o3-mapped"));
        Assert.Equal(["gpt-4.1"], FallbackModelChain.None.Plan("gpt-4.1"));
    }

    [Fact]
    public void IsEmpty_NoChainsOrOnlyEmptyOnes_True()
    {
        Assert.True(FallbackModelChain.None.IsEmpty);
        Assert.True(new FallbackModelChain(new Dictionary<string, IList<string>> { ["a"] = [" "] }).IsEmpty);
        Assert.False(Chain.IsEmpty);
    }

    [Theory]
    [InlineData(ErrorClass.None, false)]
    [InlineData(ErrorClass.ClientError, false)]
    [InlineData(ErrorClass.Connection, false)]
    [InlineData(ErrorClass.ServerError, true)]
    [InlineData(ErrorClass.Timeout, true)]
    [InlineData(ErrorClass.RateLimited, true)]
    [InlineData(ErrorClass.TruncatedStream, true)]
    [InlineData(ErrorClass.MalformedResponse, true)]
    public void ShouldTryNext_Outcome_OnlyModelFailuresOfTheProvider(ErrorClass outcome, bool expected)
    {
        Assert.Equal(expected, FallbackModelChain.ShouldTryNext(outcome));
    }

    [Fact]
    public void Next_FailuresWithinBudget_WalksTheChainThenStops()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(30));
        var plan = Chain.Plan("gpt-4.1");
        var min = TimeSpan.FromSeconds(1);

        Assert.Equal("gpt-4.1", FallbackModelChain.Next(plan, 0, ErrorClass.None, null, budget, T0, min));
        Assert.Equal("gemini-2.5-flash", FallbackModelChain.Next(plan, 1, ErrorClass.ServerError, null, budget, T0.AddSeconds(1), min));
        Assert.Equal("deepseek-v3.2", FallbackModelChain.Next(plan, 2, ErrorClass.Timeout, null, budget, T0.AddSeconds(6), min));
        Assert.Null(FallbackModelChain.Next(plan, 3, ErrorClass.RateLimited, null, budget, T0.AddSeconds(7), min));
    }

    [Fact]
    public void Next_SuccessClientOrConnectionError_Stops()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(30));
        var plan = Chain.Plan("gpt-4.1");

        Assert.Null(FallbackModelChain.Next(plan, 1, ErrorClass.None, null, budget, T0, TimeSpan.Zero));
        Assert.Null(FallbackModelChain.Next(plan, 1, ErrorClass.ClientError, null, budget, T0, TimeSpan.Zero));
        Assert.Null(FallbackModelChain.Next(plan, 1, ErrorClass.Connection, null, budget, T0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(404, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(422, false)]
    [InlineData(null, false)]
    public void ShouldTryNext_ClientError_OnlyModelNotFound(int? status, bool expected)
    {
        Assert.Equal(expected, FallbackModelChain.ShouldTryNext(ErrorClass.ClientError, status));
    }

    [Fact]
    public void Next_ModelNotFound_NextModel()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(30));

        Assert.Equal("gemini-2.5-flash", FallbackModelChain.Next(Chain.Plan("gpt-4.1"), 1, ErrorClass.ClientError, 404, budget, T0, TimeSpan.Zero));
    }

    [Fact]
    public void Next_BudgetAlmostSpent_Stops()
    {
        var budget = new DeadlineBudget(T0, TimeSpan.FromSeconds(10));
        var plan = Chain.Plan("gpt-4.1");

        Assert.Null(FallbackModelChain.Next(plan, 1, ErrorClass.Timeout, null, budget, T0.AddSeconds(9.5), TimeSpan.FromSeconds(1)));
        Assert.Null(FallbackModelChain.Next(plan, 1, ErrorClass.Timeout, null, budget, T0.AddSeconds(10), TimeSpan.Zero));
        Assert.Equal("gemini-2.5-flash", FallbackModelChain.Next(plan, 1, ErrorClass.Timeout, null, budget, T0.AddSeconds(8), TimeSpan.FromSeconds(1)));
    }
}
