using System.Globalization;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>isolation</c>: production traffic with shadow at 100 % while the candidate is healthy, slowed to 10 s, or
/// black-holed (never answers). Each arm is its own app process with its own candidate simulator, so arms differ
/// only in the candidate; they are loaded alternately in rounds at the same fixed rate.
/// </summary>
internal sealed class IsolationScenario : ILoadScenario
{
    public string Name => "isolation";

    public string Description => "production latency and errors with a healthy vs 10 s slow vs black-holed shadow candidate";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var load = FixedRateRounds.From(lab.Settings, quickMeasure: TimeSpan.FromSeconds(2), fullRate: 200, quickRate: 100);

        var primary = await lab.StartSimulatorAsync("openai").ConfigureAwait(false);
        var database = await lab.CreateDatabaseAsync("isolation").ConfigureAwait(false);
        var candidates = await Task.WhenAll(
            lab.StartSimulatorAsync("healthy"),
            lab.StartSimulatorAsync("slow", new Dictionary<string, string> { ["faults"] = """{"extraLatencyMs":10000}""" }),
            lab.StartSimulatorAsync("blackhole", new Dictionary<string, string> { ["faults"] = """{"hangRate":1,"hangMs":600000}""" })).ConfigureAwait(false);
        var names = new[] { "healthy", "slow-10s", "blackhole" };

        // A small queue so that the slow and black-holed candidates fill it within the run and drops show.
        var settings = new Dictionary<string, string>
        {
            ["Shadow:QueueCapacity"] = "100",
            ["Shadow:Workers"] = "8",
            ["Shadow:Timeout"] = "00:00:15",
        };
        var suts = await Task.WhenAll(names.Select((n, i) =>
            lab.StartSampleApiAsync(n, OverheadScenario.Harness(primary, candidates[i], database, shadow: true, settings)))).ConfigureAwait(false);
        using var client = HttpStep.CreateClient();

        var results = await load.RunAsync(lab, names.Select((n, i) => load.Arm(n, $"isolation/{n}", ChatSteps.Chat(client, suts[i].Url))))
            .ConfigureAwait(false);

        var report = new ScenarioReport { Scenario = Name };
        load.AddTo(report);
        report.Config["warmUpSeconds"] = load.WarmUp.TotalSeconds;
        report.Config["shadow"] = "100 %, queue 100, 8 workers, timeout 15 s";
        report.Config["slow"] = "candidate adds 10 s before every answer";
        report.Config["blackhole"] = "candidate never answers (hang)";
        report.Config["machine"] = MachineInfo.Describe();
        for (var i = 0; i < names.Length; i++)
        {
            var arm = ArmSummary.FromRounds(results[names[i]]);
            arm.WorkingSetMb = suts[i].Process.WorkingSetMb is { } ws ? Math.Round(ws, 1) : null;
            await ShadowStatus.AddToAsync(arm, suts[i], lab.CancellationToken).ConfigureAwait(false);
            report.Arms[names[i]] = arm;
        }

        var healthy = report.Arms["healthy"];
        foreach (var name in names.Skip(1))
        {
            var arm = report.Arms[name];
            report.Ratios[name + ".p50"] = OverheadScenario.Ratio(arm.LatencyMs.P50, healthy.LatencyMs.P50);
            report.Ratios[name + ".p99"] = OverheadScenario.Ratio(arm.LatencyMs.P99, healthy.LatencyMs.P99);
            report.Goals.Add(GoalResult.AtMost($"{name}: production p50 / healthy", report.Ratios[name + ".p50"], 1.05, "x"));
            report.Goals.Add(GoalResult.AtMost($"{name}: production p99 / healthy", report.Ratios[name + ".p99"], 1.10, "x"));
            report.Goals.Add(GoalResult.AtMost($"{name}: production errors", arm.Fail, 0));
            var dropped = arm.Extra?.GetValueOrDefault("shadowDroppedQueueFull");
            report.Goals.Add(GoalResult.AtLeast($"{name}: shadow drops counted", dropped, 1));
        }

        report.AddNote(string.Create(CultureInfo.InvariantCulture,
            $"Every arm: {load.Rate} requests/s for {load.Measure.TotalSeconds:0.#} s x {load.Rounds} rounds, latency from the intended send time; shadow drops are the harness's own counter (GET /migration/status)."));
        return report;
    }
}
