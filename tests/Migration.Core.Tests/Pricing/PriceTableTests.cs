using Migration.Core.OpenAI;
using Migration.Core.Pricing;

namespace Migration.Core.Tests.Pricing;

public class PriceTableTests
{
    [Theory]
    [InlineData("gpt-4.1", 2.00, 8.00)]
    [InlineData("gpt-4.1-mini", 0.40, 1.60)]
    [InlineData("gpt-4o", 2.50, 10.00)]
    [InlineData("gpt-4o-mini", 0.15, 0.60)]
    [InlineData("claude-sonnet-4-5", 3.00, 15.00)]
    [InlineData("claude-haiku-4-5", 1.00, 5.00)]
    [InlineData("gemini-2.5-flash", 0.30, 2.50)]
    [InlineData("gemini-2.5-pro", 1.25, 10.00)]
    [InlineData("deepseek-v3.2", 0.28, 0.42)]
    [InlineData("deepseek-chat", 0.28, 0.42)]
    [InlineData("text-embedding-3-small", 0.02, 0)]
    [InlineData("text-embedding-3-large", 0.13, 0)]
    public void Default_ListPrices_AsPublished(string model, double input, double output)
    {
        Assert.True(PriceTable.Default.TryGetPrice(model, out var price));
        Assert.Equal((decimal)input, price.InputPerMTok);
        Assert.Equal((decimal)output, price.OutputPerMTok);
    }

    [Theory]
    [InlineData("openai/gpt-4.1", "gpt-4.1")]
    [InlineData("gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData("GPT-4o-Mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-haiku-4-5-latest", "claude-haiku-4-5")]
    [InlineData("google/gemini-2.5-flash-preview-05-20", "gemini-2.5-flash")]
    [InlineData("deepseek/deepseek-v3.2:free", "deepseek-v3.2")]
    public void TryGetPrice_PrefixedOrDatedName_MatchesBaseModel(string model, string expected)
    {
        Assert.True(PriceTable.Default.TryGetPrice(model, out var price));
        Assert.True(PriceTable.Default.TryGetPrice(expected, out var basePrice));
        Assert.Same(basePrice, price);
    }

    [Fact]
    public void TryGetPrice_MiniVariant_NotConfusedWithBase()
    {
        PriceTable.Default.TryGetPrice("gpt-4.1-mini-2025-04-14", out var mini);

        Assert.Equal(0.40m, mini!.InputPerMTok);
    }

    [Theory]
    [InlineData("llama-3-70b")]
    [InlineData("")]
    [InlineData(null)]
    public void Cost_UnknownModel_Null(string? model)
    {
        Assert.Null(PriceTable.Default.Cost(model, new TokenUsage(100, 100)));
    }

    [Fact]
    public void Cost_NoUsage_Null()
    {
        Assert.Null(PriceTable.Default.Cost("gpt-4.1", null));
    }

    [Fact]
    public void Cost_PromptAndCompletion_PerMillion()
    {
        var cost = PriceTable.Default.Cost("gpt-4.1", new TokenUsage(1_000, 500));

        Assert.Equal((1_000 * 2.00m / 1_000_000m) + (500 * 8.00m / 1_000_000m), cost);
    }

    [Fact]
    public void Cost_CachedPromptTokens_UseCachedPrice()
    {
        var cost = PriceTable.Default.Cost("gpt-4.1", new TokenUsage(1_000_000, 0) { CachedPromptTokens = 400_000 });

        Assert.Equal((0.6m * 2.00m) + (0.4m * 0.50m), cost);
    }

    [Fact]
    public void With_OverrideAndNewModel_UsedAndOthersKept()
    {
        var table = PriceTable.Default.With(new Dictionary<string, ModelPrice>
        {
            ["gpt-4.1"] = new(1.00m, 4.00m),
            ["my-model"] = new(5m, 5m),
        });

        Assert.Equal(1.00m, table.Cost("gpt-4.1", new TokenUsage(1_000_000, 0)));
        Assert.Equal(5m, table.Cost("my-model", new TokenUsage(0, 1_000_000)));
        Assert.Equal(0.15m, table.Cost("gpt-4o-mini", new TokenUsage(1_000_000, 0)));
        Assert.Equal(2.00m, PriceTable.Default.Cost("gpt-4.1", new TokenUsage(1_000_000, 0)));
    }

    [Fact]
    public void WithDiscount_ThenWith_DiscountsOnlyEarlierEntries()
    {
        var candidate = PriceTable.Default.WithDiscount(0.30m).With([KeyValuePair.Create("gpt-4o", new ModelPrice(1m, 1m))]);

        Assert.Equal(1.40m, candidate.Cost("gpt-4.1", new TokenUsage(1_000_000, 0)));
        Assert.Equal(5.60m, candidate.Cost("gpt-4.1", new TokenUsage(0, 1_000_000)));
        Assert.Equal(1m, candidate.Cost("gpt-4o", new TokenUsage(1_000_000, 0)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    public void WithDiscount_OutOfRange_Throws(double discount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PriceTable.Default.WithDiscount((decimal)discount));
    }
}
