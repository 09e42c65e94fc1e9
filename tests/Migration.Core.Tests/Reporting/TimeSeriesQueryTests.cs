using Migration.Core.Reporting;

namespace Migration.Core.Tests.Reporting;

public sealed class TimeSeriesQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 7, TimeSpan.Zero);

    [Fact]
    public void TryParse_OneHourAtTenSeconds_AlignedSlotsUpToNow()
    {
        Assert.True(TimeSeriesQuery.TryParse("1h", "10s", null, Now, out var query, out _));

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), query!.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 10, TimeSpan.Zero), query.Until);
        Assert.Equal(361, query.Points);
        Assert.Equal(10, query.StepSeconds);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("15m", 5)]
    [InlineData("6h", 30)]
    [InlineData("24h", 300)]
    public void TryParse_NoStep_AtMost720Points(string? since, int step)
    {
        Assert.True(TimeSeriesQuery.TryParse(since, null, null, Now, out var query, out _));

        Assert.Equal(step, query!.StepSeconds);
        Assert.InRange(query.Points, 1, 721);
    }

    [Fact]
    public void TryParse_IsoSince_FromThatTime()
    {
        Assert.True(TimeSeriesQuery.TryParse("2026-12-07T09:30:00Z", "1m", "gpt-4.1", Now, out var query, out _));

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero), query!.From);
        Assert.Equal("gpt-4.1", query.Model);
    }

    [Theory]
    [InlineData("1h", "10x", "step")]
    [InlineData("1h", "0s", "step")]
    [InlineData("1h", "-5s", "step")]
    [InlineData("yesterday", "10s", "since")]
    [InlineData("2027-01-01T00:00:00Z", "10s", "since")]
    [InlineData("24h", "1s", "step")]
    public void TryParse_BadInput_NamesTheParameter(string since, string step, string parameter)
    {
        Assert.False(TimeSeriesQuery.TryParse(since, step, null, Now, out var query, out var errors));

        Assert.Null(query);
        Assert.Contains(parameter, errors.Keys);
    }

    [Fact]
    public void TryParse_TooManyPoints_SaysWhichStepWouldDo()
    {
        Assert.False(TimeSeriesQuery.TryParse("24h", "1s", null, Now, out _, out var errors));

        Assert.Contains("at least 9s", errors["step"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BadSinceAndStep_BothListed()
    {
        Assert.False(TimeSeriesQuery.TryParse("soon", "fast", "", Now, out _, out var errors));

        Assert.Equal(["model", "since", "step"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
