using Microsoft.Extensions.Configuration;
using Migration.Simulator.Hosting;

namespace Migration.Simulator.Tests.Hosting;

public class SimulatorCommandLineTests
{
    [Fact]
    public void Bind_ShortSwitches_MapOntoOptions()
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:5101", "--name", "openai", "--api-key", "sk-test", "--models", "gpt-4.1, gpt-4o-mini",
            "--agreement", "0.8", "--ttft-median-ms", "300", "--ttft-p99-ms", "900", "--chunk-median-ms", "20",
            "--chunk-p99-ms", "60", "--seed", "9", "--divergence-salt", "s", "--tokens-per-chunk", "2",
            "--embedding-dimensions", "256", "--faults", """{"error429Rate":0.1,"retryAfterSeconds":5}""",
        ];
        var errors = new List<string>();

        var options = SimulatorCommandLine.Bind(Section(args), errors);

        Assert.Empty(errors);
        Assert.Empty(SimulatorCommandLine.UnknownSwitches(args));
        Assert.Equal("openai", options.Name);
        Assert.Equal("sk-test", options.ApiKey);
        Assert.Equal(["gpt-4.1", "gpt-4o-mini"], options.Models);
        Assert.Equal(0.8, options.AgreementRate);
        Assert.Equal(300, options.TtftMedianMs);
        Assert.Equal(900, options.TtftP99Ms);
        Assert.Equal(20, options.ChunkDelayMedianMs);
        Assert.Equal(60, options.ChunkDelayP99Ms);
        Assert.Equal(9, options.Seed);
        Assert.Equal("s", options.DivergenceSalt);
        Assert.Equal(2, options.TokensPerChunk);
        Assert.Equal(256, options.EmbeddingDimensions);
        Assert.Equal(new FaultSettings { Error429Rate = 0.1, RetryAfterSeconds = 5 }, options.Faults);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Bind_ConfigurationPaths_BindLikeSwitches()
    {
        string[] args = ["--Simulator:Name=holysheep", "--Simulator:Models:0=a", "--Simulator:Models:1=b", "--Simulator:Faults:Outage=true", "--Simulator:Faults:HangMs=1000"];
        var errors = new List<string>();

        var options = SimulatorCommandLine.Bind(Section(args), errors);

        Assert.Empty(errors);
        Assert.Empty(SimulatorCommandLine.UnknownSwitches(args));
        Assert.Equal("holysheep", options.Name);
        Assert.Equal(["a", "b"], options.Models);
        Assert.True(options.Faults.Outage);
        Assert.Equal(1000, options.Faults.HangMs);
    }

    [Fact]
    public void Bind_AnswerSwitches_MapOntoOptions()
    {
        string[] args = ["--answers", "Sampling", "--degraded-rate", "0.25", "--early-role-chunk", "true"];
        var errors = new List<string>();

        var options = SimulatorCommandLine.Bind(Section(args), errors);

        Assert.Empty(errors);
        Assert.Empty(SimulatorCommandLine.UnknownSwitches(args));
        Assert.Equal(AnswerStyle.Sampling, options.AnswerStyle);
        Assert.Equal(0.25, options.DegradedRate);
        Assert.True(options.EarlyRoleChunk);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Bind_OnlyMedian_UsesMedianAsP99()
    {
        var options = SimulatorCommandLine.Bind(Section(["--ttft-median-ms", "50"]), []);

        Assert.Equal(50, options.TtftP99Ms);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Bind_ValuesThatDoNotParse_ListsEachProblem()
    {
        var errors = new List<string>();

        SimulatorCommandLine.Bind(Section(["--agreement", "most", "--seed", "1.5", "--faults", "{bad"]), errors);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("AgreementRate", StringComparison.Ordinal) && e.Contains("'most'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Seed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--faults", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--agreement", "1.5" }, "Simulator:AgreementRate")]
    [InlineData(new[] { "--ttft-median-ms", "abc" }, "is not a number")]
    [InlineData(new[] { "--ttft-median-ms", "300", "--ttft-p99-ms", "100" }, "Simulator:TtftP99Ms")]
    [InlineData(new[] { "--models", "" }, "Simulator:Models")]
    [InlineData(new[] { "--bogus", "1" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "--faults", """{"error500Rate":2}""" }, "error500Rate")]
    [InlineData(new[] { "--answers", "creative" }, "Simulator:AnswerStyle: 'creative' is not one of classic, verbatim, paraphrase, sampling")]
    [InlineData(new[] { "--answers", "2" }, "Simulator:AnswerStyle: '2'")]
    [InlineData(new[] { "--answers", "paraphrase", "--degraded-rate", "1.5" }, "Simulator:DegradedRate must be between 0 and 1")]
    [InlineData(new[] { "--degraded-rate", "0.3" }, "Simulator:DegradedRate needs AnswerStyle verbatim, paraphrase or sampling")]
    [InlineData(new[] { "--early-role-chunk", "soon" }, "Simulator:EarlyRoleChunk")]
    public async Task RunAsync_InvalidOptions_PrintsProblemAndExitsWith2(string[] args, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SimulatorCommandLine.RunAsync(args, output, error);

        Assert.Equal(2, code);
        Assert.Contains("Invalid simulator options", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_PrintsUsageAndExits0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SimulatorCommandLine.RunAsync(["--help"], output, error);

        Assert.Equal(0, code);
        Assert.Contains("--ttft-median-ms", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("/_sim/faults", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--answers <style>", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("/_sim/answers", output.ToString(), StringComparison.Ordinal);
    }

    private static IConfigurationSection Section(string[] args) =>
        new ConfigurationBuilder()
            .AddCommandLine(args, SimulatorCommandLine.SwitchMappings.ToDictionary(p => p.Key, p => p.Value))
            .Build()
            .GetSection(SimulatorOptions.SectionName);
}
