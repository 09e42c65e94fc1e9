using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>sse</c>: streamed chat answers (server-sent events) from the bare app vs through the harness with shadow at
/// 100 %. The primary answers with a fixed 20 ms to the first token and 5 ms between chunks, so the difference
/// is the harness's. Time to first byte from the intended send time; inter-chunk gaps as the client saw them.
/// </summary>
internal sealed class SseScenario : ILoadScenario
{
    public string Name => "sse";

    public string Description => "streamed answers: time to first byte and inter-chunk gaps, bare vs harness";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var load = FixedRateRounds.From(lab.Settings, quickMeasure: TimeSpan.FromSeconds(2), fullRate: 100, quickRate: 50);

        var fixedLatency = new Dictionary<string, string>
        {
            ["ttft-median-ms"] = "20",
            ["ttft-p99-ms"] = "20",
            ["chunk-median-ms"] = "5",
            ["chunk-p99-ms"] = "5",
        };
        var primary = await lab.StartSimulatorAsync("openai", fixedLatency).ConfigureAwait(false);
        var candidate = await lab.StartSimulatorAsync("holysheep", fixedLatency).ConfigureAwait(false);
        var database = await lab.CreateDatabaseAsync("sse").ConfigureAwait(false);
        var arms = new (string Name, SutConfig Config)[]
        {
            ("bare", new SutConfig { PrimaryBaseUrl = primary.BaseUrl }),
            ("harness", OverheadScenario.Harness(primary, candidate, database, shadow: true)),
        };
        var suts = await Task.WhenAll(arms.Select(a => lab.StartSampleApiAsync(a.Name, a.Config))).ConfigureAwait(false);
        using var client = HttpStep.CreateClient();

        var results = await load.RunAsync(lab, arms.Select((a, i) => load.Arm(a.Name, $"sse/{a.Name}", ChatSteps.Chat(client, suts[i].Url, stream: true))))
            .ConfigureAwait(false);

        var report = new ScenarioReport { Scenario = Name };
        load.AddTo(report);
        report.Config["primary"] = "simulator, TTFT 20 ms, 5 ms between chunks (fixed)";
        report.Config["harness"] = "shadow 100 %";
        report.Config["machine"] = MachineInfo.Describe();
        for (var i = 0; i < arms.Length; i++)
        {
            var arm = ArmSummary.FromRounds(results[arms[i].Name]);
            arm.WorkingSetMb = suts[i].Process.WorkingSetMb is { } ws ? Math.Round(ws, 1) : null;
            report.Arms[arms[i].Name] = arm;
        }

        var bare = report.Arms["bare"];
        var harness = report.Arms["harness"];
        var gap = HttpStep.ChunkGapMetric + "P99Ms";
        report.Ratios["ttfb.p99"] = OverheadScenario.Ratio(harness.TtftMs?.P99 ?? double.NaN, bare.TtftMs?.P99 ?? double.NaN);
        report.Ratios["ttfb.p50"] = OverheadScenario.Ratio(harness.TtftMs?.P50 ?? double.NaN, bare.TtftMs?.P50 ?? double.NaN);
        var gapDelta = (harness.Extra?.GetValueOrDefault(gap) ?? double.NaN) - (bare.Extra?.GetValueOrDefault(gap) ?? double.NaN);
        report.Ratios["chunkGap.p99DeltaMs"] = Math.Round(gapDelta, 3);
        report.Goals.Add(GoalResult.AtMost("time to first byte p99 / bare", report.Ratios["ttfb.p99"], 1.05, "x"));
        report.Goals.Add(GoalResult.AtMost("inter-chunk gap p99, harness - bare", gapDelta, 1, " ms"));
        report.Goals.Add(GoalResult.AtMost("harness errors", harness.Fail, 0));
        report.AddNote("ttftMs here is the time to the first response byte from the intended send time; gaps are between successive reads of the response stream.");
        return report;
    }
}
