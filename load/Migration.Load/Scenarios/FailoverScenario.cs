using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>failover</c>: primary outage; detection, switch and client errors after the switch. Needs provider health
/// probes and failover in the harness; until they exist the scenario reports "not available".
/// </summary>
internal sealed class FailoverScenario : ILoadScenario
{
    public string Name => "failover";

    public string Description => "primary outage: detection time, switch time, errors after the switch (needs health probes)";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(
        Name,
        "the harness has no provider health probes or failover yet (no Health/ feature in Migration.AspNetCore).",
        ("outage detection", "<= 5 s"),
        ("switch to the candidate", "<= 15 s"),
        ("client errors after the switch", "0")));
}
