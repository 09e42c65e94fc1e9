namespace Migration.Simulator.Tests;

public class SimulatorOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoProblems()
    {
        Assert.Empty(new SimulatorOptions().Validate());
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOneWithItsPath()
    {
        var options = new SimulatorOptions
        {
            Name = " ",
            Models = ["gpt-4.1", ""],
            AgreementRate = -0.1,
            TtftMedianMs = -1,
            ChunkDelayMedianMs = 10,
            ChunkDelayP99Ms = 5,
            TokensPerChunk = 0,
            EmbeddingDimensions = 0,
            Faults = new FaultSettings { HangRate = 2 },
        };

        var errors = options.Validate();

        Assert.Equal(9, errors.Count); // hangRate 2 is out of range and also makes the rates add up to more than 1
        string[] paths = ["Simulator:Name", "Simulator:Models", "Simulator:AgreementRate", "Simulator:TtftMedianMs", "Simulator:ChunkDelayP99Ms", "Simulator:TokensPerChunk", "Simulator:EmbeddingDimensions", "Simulator:Faults:hangRate"];
        Assert.All(paths, path => Assert.Contains(errors, e => e.StartsWith(path, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(AnswerStyle.Classic, 0.5, "Simulator:DegradedRate needs AnswerStyle verbatim, paraphrase or sampling")]
    [InlineData(AnswerStyle.Paraphrase, -0.1, "Simulator:DegradedRate must be between 0 and 1")]
    [InlineData((AnswerStyle)9, 0.0, "Simulator:AnswerStyle must be classic, verbatim, paraphrase or sampling")]
    public void Validate_BadAnswerSettings_NamesTheSetting(AnswerStyle style, double degradedRate, string expected)
    {
        var errors = new SimulatorOptions { AnswerStyle = style, DegradedRate = degradedRate }.Validate();

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_OptionsChangedAfterStart_DoNotAffectTheRunningSimulator()
    {
        var options = SimulatorClients.FastOptions();
        await using var host = await SimulatorHost.StartAsync(options);
        using var http = SimulatorClients.Http(host);

        options.Models.Add("gpt-late");
        options.ApiKey = "sk-other";
        using var response = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi", "gpt-late"));

        Assert.Equal(404, (int)response.StatusCode);
    }
}
