using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>A named load scenario: starts what it needs in the lab, measures, and returns its report.</summary>
internal interface ILoadScenario
{
    string Name { get; }

    string Description { get; }

    Task<ScenarioReport> RunAsync(LoadLab lab);
}
