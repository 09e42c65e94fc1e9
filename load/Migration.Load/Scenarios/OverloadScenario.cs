using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>overload</c>: the shadow is offered ten times what the candidate can absorb (candidate answers in 200 ms,
/// the harness may open at most 4 connections to it: 20 requests/s; production sends 200/s with shadow at 100 %)
/// for 5 minutes (1 with --quick). Watches the app's working set after warm-up and the most requests the
/// candidate ever had in flight from the harness.
/// </summary>
internal sealed class OverloadScenario : ILoadScenario
{
    private const int ConnectionCap = 4;
    private const int CandidateLatencyMs = 200;

    public string Name => "overload";

    public string Description => "shadow offered 10x what the candidate absorbs: memory growth and outbound connection cap";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var quick = lab.Settings.Quick;
        var duration = lab.Settings.DurationOr(full: TimeSpan.FromMinutes(5), quick: TimeSpan.FromSeconds(30));
        var warmUp = quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15);
        var absorbs = ConnectionCap * 1000.0 / CandidateLatencyMs;
        var rate = lab.Settings.Rate ?? absorbs * 10;

        var primary = await lab.StartSimulatorAsync("openai").ConfigureAwait(false);
        var candidate = await lab.StartSimulatorAsync(
            "holysheep-slow",
            new Dictionary<string, string> { ["faults"] = string.Create(CultureInfo.InvariantCulture, $$"""{"extraLatencyMs":{{CandidateLatencyMs}}}""") }).ConfigureAwait(false);
        var database = await lab.CreateDatabaseAsync("overload").ConfigureAwait(false);
        var sut = await lab.StartSampleApiAsync("overload", OverheadScenario.Harness(primary, candidate, database, shadow: true, new Dictionary<string, string>
        {
            ["Candidate:MaxConnections"] = ConnectionCap.ToString(CultureInfo.InvariantCulture),
            ["Shadow:Workers"] = ConnectionCap.ToString(CultureInfo.InvariantCulture),
            ["Shadow:QueueCapacity"] = "1000",

            // The health probes (GET /v1/models) use their own HttpClient, outside the shadow connection cap, and
            // the candidate simulator counts them in flight too: off, so the in-flight maximum is shadow traffic only.
            ["Health:ProbesEnabled"] = "false",
        })).ConfigureAwait(false);
        using var client = HttpStep.CreateClient();

        // Warm-up at the full rate: queue fills, pools and JIT settle; then the baseline is taken.
        var warm = Scenario.Create("overload/warm-up", ChatSteps.Chat(client, sut.Url))
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), warmUp));
        await lab.Runner.RunAsync(warm, lab.CancellationToken).ConfigureAwait(false);
        await candidate.ResetStatsAsync(lab.CancellationToken).ConfigureAwait(false);
        var baseline = sut.Process.WorkingSetMb ?? double.NaN;

        // Sample the working set every second while the measured load runs.
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(lab.CancellationToken);
        var samples = new List<(double Seconds, double Mb)>();
        var started = Stopwatch.GetTimestamp();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                if (sut.Process.WorkingSetMb is { } mb)
                {
                    lock (samples)
                    {
                        samples.Add((Stopwatch.GetElapsedTime(started).TotalSeconds, mb));
                    }
                }
            }
        });
        var stats = await lab.Runner.RunAsync(
            Scenario.Create("overload/measure", ChatSteps.Chat(client, sut.Url))
                .WithoutWarmUp()
                .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), duration)),
            lab.CancellationToken).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        try
        {
            await sampler.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var candidateStats = await candidate.StatsAsync(lab.CancellationToken).ConfigureAwait(false);
        var maxInFlight = candidateStats.TryGetProperty("maxInFlight", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetDouble() : double.NaN;
        var candidateRequests = candidateStats.TryGetProperty("totalRequests", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : double.NaN;
        var peak = samples.Count > 0 ? samples.Max(s => s.Mb) : double.NaN;
        var end = samples.Count > 0 ? samples[^1].Mb : double.NaN;

        var report = new ScenarioReport { Scenario = Name };
        report.Config["rate"] = rate;
        report.Config["candidateAbsorbsRps"] = absorbs;
        report.Config["candidate"] = string.Create(CultureInfo.InvariantCulture, $"{CandidateLatencyMs} ms per answer, at most {ConnectionCap} connections (Candidate:MaxConnections)");
        report.Config["shadow"] = "100 %, queue 1000, 4 workers (the validator requires Candidate:MaxConnections >= Shadow:Workers)";
        report.Config["healthProbes"] = "off (their own HttpClient is outside the shadow cap; the simulator would count a probe in flight)";
        report.Config["durationSeconds"] = duration.TotalSeconds;
        report.Config["warmUpSeconds"] = warmUp.TotalSeconds;
        report.Config["machine"] = MachineInfo.Describe();
        var arm = ArmSummary.From(stats);
        arm.WorkingSetMb = Math.Round(end, 1);
        arm.SetExtra("workingSetBaselineMb", Math.Round(baseline, 1));
        arm.SetExtra("workingSetPeakMb", Math.Round(peak, 1));
        arm.SetExtra("candidateMaxInFlight", maxInFlight);
        arm.SetExtra("candidateRequests", candidateRequests);
        arm.SetExtra("candidateRps", Math.Round(candidateRequests / stats.Duration.TotalSeconds, 1));
        await ShadowStatus.AddToAsync(arm, sut, lab.CancellationToken).ConfigureAwait(false);
        report.Arms["shadow-overloaded"] = arm;
        // Warm-up or leak? A leak keeps growing at a steady rate; warm-up (GC heap, pools, JIT) levels off. Compare
        // the growth in the first and the second half of the measured run and the working set at each quarter.
        if (samples.Count >= 4)
        {
            double At(double fraction) => samples[Math.Min(samples.Count - 1, (int)Math.Round(fraction * (samples.Count - 1)))].Mb;
            arm.SetExtra("workingSetQ1Mb", Math.Round(At(0.25), 1));
            arm.SetExtra("workingSetHalfMb", Math.Round(At(0.5), 1));
            arm.SetExtra("workingSetQ3Mb", Math.Round(At(0.75), 1));
            var firstHalf = samples.Take(samples.Count / 2).Max(x => x.Mb) - baseline;
            var secondHalf = end - At(0.5);
            arm.SetExtra("growthFirstHalfMb", Math.Round(firstHalf, 1));
            arm.SetExtra("growthSecondHalfMb", Math.Round(secondHalf, 1));
            report.Ratios["workingSetGrowthSecondHalfMb"] = Math.Round(secondHalf, 1);
            report.Goals.Add(GoalResult.AtMost("working set growth in the second half of the run (after a longer warm-up)", secondHalf, 50, " MB"));
        }

        report.Ratios["offeredVsAbsorbed"] = Math.Round(rate / absorbs, 2);
        report.Ratios["workingSetGrowthMb"] = Math.Round(peak - baseline, 1);
        report.Goals.Add(GoalResult.AtMost("working set growth after warm-up (peak - baseline)", peak - baseline, 50, " MB"));
        report.Goals.Add(GoalResult.AtMost("candidate requests in flight (max)", maxInFlight, ConnectionCap));
        report.Goals.Add(GoalResult.AtMost("production errors", stats.Fail, 0));
        report.AddNote("Working set = VmRSS of the app process from /proc/<pid>/status, sampled every second; in-flight maximum as seen by the candidate simulator (GET /_sim/stats), reset after warm-up.");
        return report;
    }
}
