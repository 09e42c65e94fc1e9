using System.Globalization;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>overhead</c>: the same app three ways (bare, harness with shadow off, harness with shadow at 100 %), each its
/// own process, all calling the same simulated primary. First the saturated throughput of each arm (closed model,
/// <c>KeepConstant</c>), then latency at half of the bare app's capacity (open model, <c>Inject</c>), arms
/// alternating in rounds. Cross-checked against <c>wrk</c> when installed.
/// </summary>
internal sealed class OverheadScenario : ILoadScenario
{
    private const int SaturationCopies = 32;

    public string Name => "overhead";

    public string Description => "bare vs harness shadow off vs shadow 100 %: latency at half capacity, saturated throughput, wrk cross-check";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var quick = lab.Settings.Quick;
        var rounds = Math.Max(Comparison.MinimumRounds, lab.Settings.Rounds ?? 3);
        var measure = lab.Settings.DurationOr(full: TimeSpan.FromSeconds(20), quick: TimeSpan.FromSeconds(1.5));
        var saturate = quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10);
        var warmUp = quick ? TimeSpan.FromSeconds(0.3) : TimeSpan.FromSeconds(3);

        var simulators = await Task.WhenAll(lab.StartSimulatorAsync("openai"), lab.StartSimulatorAsync("holysheep")).ConfigureAwait(false);
        var (primary, candidate) = (simulators[0], simulators[1]);
        var database = await lab.CreateDatabaseAsync("overhead").ConfigureAwait(false);
        var arms = new (string Name, SutConfig Config)[]
        {
            ("bare", new SutConfig { PrimaryBaseUrl = primary.BaseUrl }),
            ("shadow-off", Harness(primary, candidate, database, shadow: false)),
            ("shadow-100", Harness(primary, candidate, database, shadow: true)),
        };
        var suts = await Task.WhenAll(arms.Select(a => lab.StartSampleApiAsync(a.Name, a.Config))).ConfigureAwait(false);
        using var client = HttpStep.CreateClient();

        // 1. Saturated throughput (closed model), arms alternating.
        var saturation = await Comparison.RunAsync(
            lab.Runner,
            arms.Select((a, i) => new ComparisonArm(a.Name, Scenario.Create($"overhead/saturate/{a.Name}", ChatSteps.Chat(client, suts[i].Url))
                .WithWarmUpDuration(warmUp)
                .WithLoadSimulations(Simulation.KeepConstant(SaturationCopies, saturate)))).ToList(),
            rounds,
            lab.CancellationToken).ConfigureAwait(false);
        var capacity = ArmSummary.MedianOf(saturation["bare"].Select(s => s.Rps).ToList());
        var rate = lab.Settings.Rate ?? Math.Max(10, Math.Round(capacity / 2));
        await lab.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"overhead: bare capacity {capacity:0} rps -> latency runs at {rate:0} rps")).ConfigureAwait(false);

        // 2. Latency at half capacity (open model), arms alternating.
        var workingSet = new Dictionary<string, double?>(StringComparer.Ordinal);
        var latency = await Comparison.RunAsync(
            lab.Runner,
            arms.Select((a, i) => new ComparisonArm(a.Name, Scenario.Create($"overhead/latency/{a.Name}", ChatSteps.Chat(client, suts[i].Url))
                .WithWarmUpDuration(warmUp)
                .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), measure)))
            {
                AfterRound = _ => workingSet[a.Name] = suts[i].Process.WorkingSetMb,
            }).ToList(),
            rounds,
            lab.CancellationToken).ConfigureAwait(false);

        // 3. wrk cross-check on the bare app at the same concurrency.
        double? wrkRps = null;
        long wrkNon2xx = 0;
        var wrk = Wrk.Find();
        if (wrk is not null)
        {
            (wrkRps, wrkNon2xx) = await Wrk.RunAsync(
                wrk, suts[0].Url + "/v1/chat/completions", ChatSteps.Body(0, stream: false), SaturationCopies,
                quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10), lab.LogDirectory, lab.CancellationToken).ConfigureAwait(false);
        }

        var report = new ScenarioReport { Scenario = Name };
        report.Config["primary"] = "simulator, no added latency";
        report.Config["rate"] = rate;
        report.Config["rounds"] = rounds;
        report.Config["measureSeconds"] = measure.TotalSeconds;
        report.Config["saturateSeconds"] = saturate.TotalSeconds;
        report.Config["saturationCopies"] = SaturationCopies;
        report.Config["warmUpSeconds"] = warmUp.TotalSeconds;
        report.Config["request"] = "POST /v1/chat/completions, non-streamed, " + ChatSteps.Model;
        report.Config["machine"] = MachineInfo.Describe();

        foreach (var (name, _) in arms)
        {
            var arm = ArmSummary.FromRounds(latency[name]);
            arm.WorkingSetMb = workingSet.GetValueOrDefault(name) is { } ws ? Math.Round(ws, 1) : null;
            var sat = ArmSummary.FromRounds(saturation[name]);
            arm.SetExtra("saturatedRps", sat.Rps);
            arm.SetExtra("saturatedRpsMin", sat.Spread?.Rps[0] ?? sat.Rps);
            arm.SetExtra("saturatedRpsMax", sat.Spread?.Rps[1] ?? sat.Rps);
            arm.SetExtra("saturatedP50Ms", sat.LatencyMs.P50);
            report.Arms[name] = arm;
        }

        foreach (var status in new[] { ("shadow-100", suts[2]) })
        {
            if (await status.Item2.StatusAsync(lab.CancellationToken).ConfigureAwait(false) is { } json)
            {
                var shadow = json.GetProperty("shadow");
                report.Arms[status.Item1].SetExtra("shadowEnqueued", shadow.GetProperty("enqueued").GetDouble());
                report.Arms[status.Item1].SetExtra("shadowCompared", shadow.GetProperty("compared").GetDouble());
                report.Arms[status.Item1].SetExtra("shadowDroppedQueueFull", shadow.GetProperty("dropped").GetProperty("queueFull").GetDouble());
            }
        }

        var bare = report.Arms["bare"];
        var off = report.Arms["shadow-off"];
        var on = report.Arms["shadow-100"];
        report.Ratios["shadowOff.p50"] = Ratio(off.LatencyMs.P50, bare.LatencyMs.P50);
        report.Ratios["shadowOff.p99"] = Ratio(off.LatencyMs.P99, bare.LatencyMs.P99);
        report.Ratios["shadow100.p50"] = Ratio(on.LatencyMs.P50, bare.LatencyMs.P50);
        report.Ratios["shadow100.p99"] = Ratio(on.LatencyMs.P99, bare.LatencyMs.P99);
        report.Ratios["shadowOff.p50DeltaMs"] = Math.Round(off.LatencyMs.P50 - bare.LatencyMs.P50, 3);
        report.Ratios["shadow100.p50DeltaMs"] = Math.Round(on.LatencyMs.P50 - bare.LatencyMs.P50, 3);
        report.Ratios["shadowOff.saturatedRps"] = Ratio(off.Extra!["saturatedRps"], bare.Extra!["saturatedRps"]);
        report.Ratios["shadow100.saturatedRps"] = Ratio(on.Extra!["saturatedRps"], bare.Extra!["saturatedRps"]);
        if (wrkRps is { } w)
        {
            report.Ratios["driverVsWrk.saturatedRps"] = Ratio(bare.Extra["saturatedRps"], w);
            report.Config["wrkRps"] = Math.Round(w, 1);
            report.Config["wrkNon2xx"] = wrkNon2xx;
        }

        report.Goals.Add(GoalResult.AtMost("shadow off p50 / bare", report.Ratios["shadowOff.p50"], 1.05, "x"));
        report.Goals.Add(GoalResult.AtMost("shadow off p99 / bare", report.Ratios["shadowOff.p99"], 1.10, "x"));
        report.Goals.Add(GoalResult.AtMost("shadow 100% p99 / bare", report.Ratios["shadow100.p99"], 1.10, "x"));
        report.Goals.Add(GoalResult.AtLeast("shadow off saturated throughput / bare", report.Ratios["shadowOff.saturatedRps"], 0.95, "x"));
        report.Goals.Add(GoalResult.AtLeast("shadow 100% saturated throughput / bare", report.Ratios["shadow100.saturatedRps"], 0.70, "x"));
        if (wrkRps is not null)
        {
            var deviation = Math.Abs(report.Ratios["driverVsWrk.saturatedRps"] - 1);
            report.Goals.Add(GoalResult.AtMost("driver vs wrk saturated throughput, |1 - ratio|", deviation, 0.15));
        }
        else
        {
            report.Goals.Add(GoalResult.NotRun("driver vs wrk saturated throughput, |1 - ratio|", "<= 0.15"));
            report.AddNote("wrk cross-check not run: wrk is not installed (`apt-get install -y wrk`).");
        }

        report.AddNote("Latency is measured from the intended send time (open model); each figure is the median of the rounds, spread = min..max over rounds.");
        return report;
    }

    internal static SutConfig Harness(SimulatorProcess primary, SimulatorProcess candidate, string database, bool shadow, IReadOnlyDictionary<string, string>? settings = null) => new()
    {
        PrimaryBaseUrl = primary.BaseUrl,
        Harness = new HarnessConfig
        {
            CandidateBaseUrl = candidate.BaseUrl,
            ConnectionString = database,
            ShadowEnabled = shadow,
            SampleRate = 1.0,
            Settings = settings ?? new Dictionary<string, string>(),
        },
    };

    internal static double Ratio(double value, double baseline) => baseline <= 0 ? double.NaN : Math.Round(value / baseline, 4);
}
