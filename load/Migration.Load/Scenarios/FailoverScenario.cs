using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

internal sealed class FailoverScenario : ILoadScenario
{
    public string Name => "failover";

    public string Description => "failover";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(Name, "todo"));
}
