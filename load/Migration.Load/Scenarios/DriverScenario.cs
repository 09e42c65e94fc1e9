using System.Globalization;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>driver</c>: the driver's own accuracy in real time. A simulated provider answers with a log-normal time to
/// first token (median 100 ms, p99 130 ms, so p90 115.6 ms); the driver injects 100 requests/s and its measured
/// percentiles are compared with the configured distribution. The arithmetic is tested on a fake clock
/// (<c>ScenarioRunnerTests</c>); this is the wall-clock check, which only holds on a machine that is not busy.
/// </summary>
internal sealed class DriverScenario : ILoadScenario
{
    private const double Median = 100;
    private const double P99 = 130;

    public string Name => "driver";

    public string Description => "driver accuracy: measured percentiles vs a simulator's configured log-normal latency";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var load = FixedRateRounds.From(lab.Settings, quickMeasure: TimeSpan.FromSeconds(4), fullRate: 100, quickRate: 100);
        var simulator = await lab.StartSimulatorAsync("known", new Dictionary<string, string>
        {
            ["ttft-median-ms"] = Median.ToString(CultureInfo.InvariantCulture),
            ["ttft-p99-ms"] = P99.ToString(CultureInfo.InvariantCulture),
        }).ConfigureAwait(false);
        using var client = HttpStep.CreateClient();
        var results = await load.RunAsync(lab, [load.Arm("simulator", "driver/simulator", ChatSteps.Chat(client, simulator.Url))]).ConfigureAwait(false);

        var report = new ScenarioReport { Scenario = Name };
        load.AddTo(report);
        report.Config["simulator"] = "log-normal time to first token, median 100 ms, p99 130 ms";
        report.Config["machine"] = MachineInfo.Describe();
        var arm = ArmSummary.FromRounds(results["simulator"]);
        report.Arms["simulator"] = arm;

        // Noise of a shared machine only ever adds latency, so the goals are judged on the median over rounds.
        var sigma = Math.Log(P99 / Median) / 2.3263478740408408;
        var p90 = Median * Math.Exp(1.2815515655446004 * sigma);
        Within(report, "p50", arm.LatencyMs.P50, Median, 0.05, 0.05);
        Within(report, "p90", arm.LatencyMs.P90, p90, 0.05, 0.05);
        Within(report, "p99", arm.LatencyMs.P99, P99, 0.05, 0.20);
        report.Goals.Add(GoalResult.AtMost("driver errors", arm.Fail, 0));
        report.AddNote("latency from the intended send time; the p99 rests on few samples per round, hence its wider band above.");
        return report;
    }

    private static void Within(ScenarioReport report, string name, double measured, double expected, double below, double above)
    {
        var ratio = measured / expected;
        report.Ratios[name + ".measuredOverConfigured"] = Math.Round(ratio, 4);
        report.Goals.Add(GoalResult.AtLeast(string.Create(CultureInfo.InvariantCulture, $"{name} measured / configured ({expected:0.#} ms)"), ratio, 1 - below, "x"));
        report.Goals.Add(GoalResult.AtMost(string.Create(CultureInfo.InvariantCulture, $"{name} measured / configured ({expected:0.#} ms)"), ratio, 1 + above, "x"));
    }
}
