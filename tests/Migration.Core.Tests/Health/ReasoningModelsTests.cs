using Migration.Core.Health;

namespace Migration.Core.Tests.Health;

public sealed class ReasoningModelsTests
{
    [Theory]
    [InlineData("o1")]
    [InlineData("o1-mini")]
    [InlineData("o3")]
    [InlineData("o3-pro")]
    [InlineData("o4-mini")]
    [InlineData("deepseek-reasoner")]
    [InlineData("claude-3-7-sonnet-thinking")]
    [InlineData("gemini-2.5-flash-thinking-exp")]
    [InlineData("openai/o3-mini")]
    [InlineData("grok-3-reasoning")]
    public void LooksLikeReasoning_ReasoningName_True(string model)
    {
        Assert.True(ReasoningModels.LooksLikeReasoning(model));
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4.1")]
    [InlineData("gpt-4o-mini")]
    [InlineData("omni-moderation-latest")]
    [InlineData("deepseek-v3.2")]
    [InlineData("gemini-2.5-flash")]
    [InlineData("")]
    [InlineData(null)]
    public void LooksLikeReasoning_OtherName_False(string? model)
    {
        Assert.False(ReasoningModels.LooksLikeReasoning(model));
    }
}
