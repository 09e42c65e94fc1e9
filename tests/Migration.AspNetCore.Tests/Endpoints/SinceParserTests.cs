using Migration.AspNetCore.Endpoints;

namespace Migration.AspNetCore.Tests.Endpoints;

public class SinceParserTests
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
}
