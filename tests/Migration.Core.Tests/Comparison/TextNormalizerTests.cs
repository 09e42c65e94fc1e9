using Migration.Core.Comparison;

namespace Migration.Core.Tests.Comparison;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("-5", "-5")]
    [InlineData("3.14", "3.14")]
    [InlineData("1,000 users", "1,000 users")]
    [InlineData("20% off", "20% off")]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("end. 5", "end 5")]
    [InlineData("well-known", "wellknown")]
    [InlineData("x-5", "x5")]
    [InlineData("−7", "-7")]
    public void Normalize_KeepsPunctuationThatIsPartOfANumber(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(text));
    }

    [Theory]
    [InlineData("-5", "5")]
    [InlineData("3.14", "314")]
    [InlineData("20%", "20")]
    public void Normalize_NumbersDifferingInSignDecimalOrPercent_StayDifferent(string a, string b)
    {
        Assert.NotEqual(TextNormalizer.Normalize(a), TextNormalizer.Normalize(b));
    }
}
