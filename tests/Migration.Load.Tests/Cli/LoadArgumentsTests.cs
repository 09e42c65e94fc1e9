using Migration.Load.Cli;

namespace Migration.Load.Tests.Cli;

public sealed class LoadArgumentsTests
{
    [Fact]
    public void TryParse_AllOptions_Parsed()
    {
        var parsed = LoadArguments.TryParse(["overhead", "--out", "/tmp/x", "--quick", "--rate", "250", "--duration", "7.5", "--rounds", "5", "--no-build"], out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal("overhead", parsed.Scenario);
        Assert.Equal("/tmp/x", parsed.OutputDirectory);
        Assert.True(parsed.Quick);
        Assert.Equal(250, parsed.Rate);
        Assert.Equal(TimeSpan.FromSeconds(7.5), parsed.Duration);
        Assert.Equal(5, parsed.Rounds);
        Assert.True(parsed.NoBuild);
    }

    [Theory]
    [InlineData(new[] { "--out", "x" }, "no scenario given")]
    [InlineData(new[] { "overhead" }, "--out <dir> is required")]
    [InlineData(new[] { "overhead", "--out" }, "--out needs a folder")]
    [InlineData(new[] { "overhead", "--out", "x", "--rate", "0" }, "--rate needs a positive number of requests per second")]
    [InlineData(new[] { "overhead", "--out", "x", "--duration", "abc" }, "--duration needs a positive number of seconds")]
    [InlineData(new[] { "overhead", "--out", "x", "--rounds", "2" }, "--rounds needs a whole number from 3 to 100")]
    [InlineData(new[] { "overhead", "--out", "x", "--fast" }, "unknown option '--fast'")]
    [InlineData(new[] { "overhead", "sse", "--out", "x" }, "only one scenario (or all) can be given, got 'overhead' and 'sse'")]
    public void TryParse_BadUsage_ReturnsNullWithReason(string[] args, string expected)
    {
        var parsed = LoadArguments.TryParse(args, out var error);

        Assert.Null(parsed);
        Assert.Equal(expected, error);
    }
}
