using Migration.SampleApi.Demo;

namespace Migration.SampleApi.Tests.Demo;

public sealed class DemoArgumentsTests
{
    [Fact]
    public void Parse_NoOptions_UsesDefaults()
    {
        var parsed = DemoArguments.Parse(["--demo"], out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(60, parsed.DurationSeconds);
        Assert.Null(parsed.ReportJsonPath);
        Assert.Equal(SampleMode.Middleware, parsed.Mode);
    }

    [Theory]
    [InlineData("outgoing", SampleMode.Outgoing)]
    [InlineData("Middleware", SampleMode.Middleware)]
    public void Parse_Mode_IsRead(string value, SampleMode expected)
    {
        var parsed = DemoArguments.Parse(["--demo", "--mode", value], out _);

        Assert.Equal(expected, parsed?.Mode);
    }

    [Fact]
    public void Parse_AllOptions_AreRead()
    {
        var parsed = DemoArguments.Parse(["--demo", "--duration", "30", "--concurrency", "4", "--report-json", "r.json", "--quiet"], out _);

        Assert.NotNull(parsed);
        Assert.Equal(30, parsed.DurationSeconds);
        Assert.Equal(4, parsed.Concurrency);
        Assert.Equal("r.json", parsed.ReportJsonPath);
        Assert.True(parsed.Quiet);
    }

    [Theory]
    [InlineData("--duration", "abc", "--duration")]
    [InlineData("--duration", "0", "--duration")]
    [InlineData("--concurrency", "1000", "--concurrency")]
    [InlineData("--bogus", "x", "unknown argument '--bogus'")]
    [InlineData("--mode", "sideways", "--mode: middleware or outgoing")]
    public void Parse_BadUsage_ReturnsNullAndNamesTheProblem(string option, string value, string expected)
    {
        var parsed = DemoArguments.Parse(["--demo", option, value], out var error);

        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportJsonWithoutPath_ReturnsError()
    {
        var parsed = DemoArguments.Parse(["--demo", "--report-json"], out var error);

        Assert.Null(parsed);
        Assert.Contains("file path", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadUsage_ExitsWith2()
    {
        var exit = await DemoCommand.RunAsync(["--demo", "--duration", "never"]);

        Assert.Equal(2, exit);
    }
}
