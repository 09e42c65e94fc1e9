using Migration.Core.Comparison;

namespace Migration.Core.Tests.Comparison;

public class MarkdownCodeTests
{
    [Fact]
    public void Split_FencedBlocks_ProseWithoutCodeAndBodies()
    {
        var (prose, code) = MarkdownCode.Split("Intro\n```python\nx = 1\n```\nMiddle\n~~~~\ny\n~~~~\nEnd");

        Assert.Equal("Intro\n\nMiddle\n\nEnd", prose);
        Assert.Equal(["x = 1\n", "y\n"], code);
    }

    [Fact]
    public void Split_UnclosedFence_RunsToTheEnd()
    {
        var (prose, code) = MarkdownCode.Split("Intro\n```\nx = 1");

        Assert.Equal("Intro", prose);
        Assert.Equal(["x = 1\n"], code);
    }

    [Fact]
    public void Split_InlineBackticks_NotAFence()
    {
        var (prose, code) = MarkdownCode.Split("Use `x` and ``y``.");

        Assert.Equal("Use `x` and ``y``.", prose);
        Assert.Empty(code);
    }
}
