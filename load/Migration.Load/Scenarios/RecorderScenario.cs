using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

internal sealed class RecorderScenario : ILoadScenario
{
    public string Name => "recorder";

    public string Description => "recorder";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(Name, "todo"));
}
