using Migration.Core.Comparison;

namespace Migration.Core.Tests.Comparison;

public class NumericTokensTests
{
    [Theory]
    [InlineData("It costs $5.", "$5")]
    [InlineData("Set it to -12.5 now", "-12.5")]
    [InlineData("about 3,5 kg", "3.5 kg")]
    [InlineData("1.000.000 dong", "1000000")]
    [InlineData("1,000,000.25 units", "1000000.25")]
    [InlineData("wait 10 seconds", "10 s")]
    [InlineData("wait ten seconds", "10 s")]
    [InlineData("5-10 people", "5")]
    [InlineData("version 1.2.3", "1.2.3")]
    public void Extract_CanonicalKeys(string text, string firstKey)
    {
        var tokens = NumericTokens.Extract(text);

        Assert.Equal(firstKey, tokens[0].Key);
    }

    [Fact]
    public void Extract_OrderedListMarkers_Skipped()
    {
        var tokens = NumericTokens.Extract("Do this:\n1. first\n  2) second\n3. has 7 items");

        Assert.Equal(["7"], tokens.Select(t => t.Key));
    }

    [Fact]
    public void Difference_RangeAndUnits_ListsEachSidesExtraNumbers()
    {
        var (a, b) = NumericTokens.Difference("between 5 and 10 minutes", "between 5 and 15 minutes");

        Assert.Equal(["10 minutes"], a);
        Assert.Equal(["15 minutes"], b);
    }

    [Fact]
    public void Difference_WordOneIsNeverADifferenceOnItsOwn()
    {
        var (a, b) = NumericTokens.Difference("One option is to retry.", "An option is to retry.");

        Assert.Empty(a);
        Assert.Empty(b);
    }

    [Fact]
    public void Difference_DigitOneStillCounts()
    {
        var (a, _) = NumericTokens.Difference("Retry 1 time.", "Retry again.");

        Assert.Equal(["1"], a);
    }
}
