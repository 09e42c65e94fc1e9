using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

/// <summary>The one since/duration parser of the report endpoint and the CLI.</summary>
public sealed class SinceParserTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172_800)]
    [InlineData("1w", 604_800)]
    [InlineData("2H", 7200)]
    public void TryParse_Duration_IsThatLongBeforeNow(string value, int seconds)
    {
        Assert.True(SinceParser.TryParse(value, Now, out var since));
        Assert.Equal(Now.AddSeconds(-seconds), since);
    }

    [Fact]
    public void TryParse_IsoTimestampWithOffset_IsConvertedToUtc()
    {
        Assert.True(SinceParser.TryParse("2025-05-31T14:00:00+02:00", Now, out var since));
        Assert.Equal(new DateTimeOffset(2025, 5, 31, 12, 0, 0, TimeSpan.Zero), since);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryParse_Empty_MeansNoLowerBound(string? value)
    {
        Assert.True(SinceParser.TryParse(value, Now, out var since));
        Assert.Null(since);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("h")]
    [InlineData("1y")]
    [InlineData("-1h")]
    [InlineData("99999999999999d")]
    [InlineData("1.5h")]
    public void TryParse_Garbage_IsRejected(string value) =>
        Assert.False(SinceParser.TryParse(value, Now, out _));

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1_800)]
    [InlineData("1h", 3_600)]
    [InlineData("14d", 1_209_600)]
    [InlineData("2W", 1_209_600)]
    public void TryParseDuration_Valid_Seconds(string text, long seconds)
    {
        Assert.True(SinceParser.TryParseDuration(text, out var duration));
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
    [InlineData("2025-05-31T14:00:00Z")]
    public void TryParseDuration_Invalid_False(string? text) => Assert.False(SinceParser.TryParseDuration(text, out _));
}
