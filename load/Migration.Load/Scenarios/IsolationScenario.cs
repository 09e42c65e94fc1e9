using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

internal sealed class IsolationScenario : ILoadScenario
{
    public string Name => "isolation";

    public string Description => "isolation";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(Name, "todo"));
}
