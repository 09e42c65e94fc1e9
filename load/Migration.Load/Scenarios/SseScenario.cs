using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

internal sealed class SseScenario : ILoadScenario
{
    public string Name => "sse";

    public string Description => "sse";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(Name, "todo"));
}
