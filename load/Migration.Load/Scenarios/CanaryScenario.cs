using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>canary</c>: candidate path vs calling the candidate directly, split accuracy, and time from a candidate fault
/// to rollback on every instance. Needs canary routing in the harness (MigrationMiddleware serving a weighted
/// share from the candidate) and the canary controller; until they exist the scenario reports "not available".
/// </summary>
internal sealed class CanaryScenario : ILoadScenario
{
    public string Name => "canary";

    public string Description => "candidate path overhead, split accuracy, fault-to-rollback time (needs the canary controller)";

    public Task<ScenarioReport> RunAsync(LoadLab lab) => Task.FromResult(NotAvailable.Report(
        Name,
        "the harness has no canary routing or canary controller yet (Migration.AspNetCore serves every request from the primary; " +
        "only the PostgreSQL canary state store exists). The scenario will drive it once `Migration:Canary` is served.",
        ("candidate path p50 - direct candidate p50", "<= 1 ms"),
        ("split accuracy over 10k requests", "within 1 pp"),
        ("fault to rollback on every instance", "<= 2 intervals"),
        ("client-visible errors during rollback", "0")));
}
