using Migration.Core.Health;

namespace Migration.Core.Tests.Health;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("3", null, 3000)]
    [InlineData("0.5", null, 500)]
    [InlineData(" 20 ", null, 20000)]
    [InlineData("3", "250", 250)]
    [InlineData(null, "1500", 1500)]
    [InlineData("Wed, 01 Jan 2025 12:00:07 GMT", null, 7000)]
    [InlineData("Wed, 01 Jan 2025 11:59:00 GMT", null, 0)]
    public void Parse_Readable_Wait(string? retryAfter, string? retryAfterMs, double expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfterHeader.Parse(retryAfter, retryAfterMs, Now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("soon", null)]
    [InlineData("-4", null)]
    [InlineData("soon", "x")]
    public void Parse_Unreadable_Null(string? retryAfter, string? retryAfterMs)
    {
        Assert.Null(RetryAfterHeader.Parse(retryAfter, retryAfterMs, Now));
    }

    [Theory]
    [InlineData("1e300", null)]
    [InlineData(null, "1e300")]
    [InlineData("99999999999999", null)]
    public void Parse_Huge_CappedAtOneDayWithoutOverflow(string? retryAfter, string? retryAfterMs)
    {
        Assert.Equal(RetryAfterHeader.MaxWait, RetryAfterHeader.Parse(retryAfter, retryAfterMs, Now));
    }
}
