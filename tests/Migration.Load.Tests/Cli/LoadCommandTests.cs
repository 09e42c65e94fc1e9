using System.Text.Json;
using Migration.Load.Cli;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Load.Scenarios;

namespace Migration.Load.Tests.Cli;

public sealed class LoadCommandTests
{
    private sealed class FakeScenario(string name, bool crash = false) : ILoadScenario
    {
        public string Name => name;

        public string Description => "fake";

        public Task<ScenarioReport> RunAsync(LoadLab lab) => crash
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(new ScenarioReport { Scenario = name, Goals = { GoalResult.AtMost("g", lab.Settings.Quick ? 1 : 2, 1) } });
    }

    private sealed class UnavailableScenario : ILoadScenario
    {
        public string Name => "later";

        public string Description => "needs a product part that does not exist yet";

        public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(Name, "not built yet", ("goal", "<= 1")));
    }

    private static ProgressReporter Quiet() => new(TextWriter.Null, interactive: false);

    [Fact]
    public async Task RunAsync_BadUsage_ExitsTwoWithUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await LoadCommand.RunAsync(["overhead"], output, error, [new FakeScenario("overhead")], Quiet());

        Assert.Equal(2, exit);
        Assert.Contains(LoadArguments.Usage, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownScenario_ExitsTwoListingKnownOnes()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await LoadCommand.RunAsync(["nope", "--out", Path.GetTempPath()], output, error, [new FakeScenario("overhead"), new FakeScenario("sse")], Quiet());

        Assert.Equal(2, exit);
        Assert.Contains("unknown scenario 'nope'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("known scenarios: overhead, sse, all", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_All_WritesEveryReportAndExitsOneWhenAScenarioCrashed()
    {
        var dir = Path.Combine(Path.GetTempPath(), "load-cmd-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exit = await LoadCommand.RunAsync(
                ["all", "--out", dir, "--quick"], output, error, [new FakeScenario("a"), new FakeScenario("b", crash: true), new FakeScenario("c")], Quiet());

            Assert.Equal(1, exit);
            Assert.True(File.Exists(Path.Combine(dir, "a.json")));
            Assert.True(File.Exists(Path.Combine(dir, "a.md")));
            Assert.False(File.Exists(Path.Combine(dir, "b.json")));
            Assert.True(File.Exists(Path.Combine(dir, "c.json")));
            Assert.Contains("b: FAILED", error.ToString(), StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "c.json")));
            Assert.True(doc.RootElement.GetProperty("goals")[0].GetProperty("met").GetBoolean());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_NotAvailableScenario_ExitsZero()
    {
        var dir = Path.Combine(Path.GetTempPath(), "load-cmd-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exit = await LoadCommand.RunAsync(["later", "--out", dir, "--quick"], output, error, [new UnavailableScenario()], Quiet());

            Assert.Equal(0, exit);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "later.json")));
            Assert.Equal("not_available", doc.RootElement.GetProperty("status").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
