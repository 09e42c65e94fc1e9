using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

internal sealed class CanaryScenario : ILoadScenario
{
    public string Name => "canary";

    public string Description => "canary";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(Name, "todo"));
}
