namespace Migration.Cli.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1_800)]
    [InlineData("1h", 3_600)]
    [InlineData("14d", 1_209_600)]
    [InlineData("2W", 1_209_600)]
    public void TryParse_Valid_Seconds(string text, long seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("10")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("10y")]
    [InlineData("99999999999999w")]
    public void TryParse_Invalid_False(string? text) => Assert.False(DurationParser.TryParse(text, out _));
}
