using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>canary</c>, three parts:
/// (a) the candidate path through the harness (weight 100 via <c>set-weight</c>) vs the driver calling the candidate
/// simulator directly, same rate, alternating in rounds; (b) split accuracy: a fixed number of requests at weight 10
/// (no sticky key), the candidate's share counted by the simulators' own <c>/_sim/stats</c> chat counts; (c) two
/// app instances (separate processes, one database) ramping, then every candidate call fails
/// (<c>error500Rate 1.0</c>): time from the fault to weight 0 on every instance and client-visible errors.
/// </summary>
internal sealed class CanaryScenario : ILoadScenario
{
    private static readonly TimeSpan ControllerInterval = TimeSpan.FromSeconds(3);

    // At most the circuit breaker's minimum throughput (10): once the breaker of an instance opens, its canary
    // requests go to the primary and are no longer canary samples, so a larger MinRequests may never be reached.
    private const int MinRequests = 10;

    public string Name => "canary";

    public string Description => "candidate path vs direct candidate, split accuracy at weight 10, fault-to-rollback on two instances";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var quick = lab.Settings.Quick;
        var pathLoad = FixedRateRounds.From(lab.Settings, quickMeasure: TimeSpan.FromSeconds(1.5), fullRate: 200, quickRate: 100);
        var splitRequests = quick ? 2_000 : 10_000;
        const double splitRate = 500.0;
        var ct = lab.CancellationToken;

        var simulators = Task.WhenAll(lab.StartSimulatorAsync("openai"), lab.StartSimulatorAsync("holysheep"));
        var database = await lab.CreateDatabaseAsync("canary").ConfigureAwait(false);
        var rollbackDatabase = await lab.CreateDatabaseAsync("canary_rollback").ConfigureAwait(false);
        var sims = await simulators.ConfigureAwait(false);
        var (primary, candidate) = (sims[0], sims[1]);
        var hold = quick ? 2 : 4;
        var apps = await Task.WhenAll(
            lab.StartSampleApiAsync("canary", OverheadScenario.Harness(primary, candidate, database, shadow: false, Settings("canary-a", holdSeconds: 600))),
            lab.StartSampleApiAsync("canary-b1", OverheadScenario.Harness(primary, candidate, rollbackDatabase, shadow: false, Settings("canary-b1", hold))),
            lab.StartSampleApiAsync("canary-b2", OverheadScenario.Harness(primary, candidate, rollbackDatabase, shadow: false, Settings("canary-b2", hold)))).ConfigureAwait(false);
        var sut = apps[0];
        using var client = HttpStep.CreateClient();

        var report = new ScenarioReport { Scenario = Name };
        report.Config["machine"] = MachineInfo.Describe();
        report.Config["controllerIntervalSeconds"] = ControllerInterval.TotalSeconds;

        // (a) Candidate path: weight 100, the harness forwards every request to the candidate.
        await sut.CanaryCommandAsync("set-weight", """{"weight":100}""", ct).ConfigureAwait(false);
        await WaitForWeightAsync(sut, 100, TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
        var names = new[] { "harness-candidate", "direct-candidate" };
        var urls = new[] { sut.Url, candidate.Url };
        var path = await pathLoad.RunAsync(lab, names.Select((n, i) => pathLoad.Arm(n, $"canary/path/{n}", ChatSteps.Chat(client, urls[i]))))
            .ConfigureAwait(false);
        foreach (var name in names)
        {
            report.Arms[name] = ArmSummary.FromRounds(path[name]);
        }

        var added = report.Arms["harness-candidate"].LatencyMs.P50 - report.Arms["direct-candidate"].LatencyMs.P50;
        report.Ratios["candidatePath.p50AddedMs"] = Math.Round(added, 3);
        report.Ratios["candidatePath.p99"] = OverheadScenario.Ratio(report.Arms["harness-candidate"].LatencyMs.P99, report.Arms["direct-candidate"].LatencyMs.P99);
        report.Goals.Add(GoalResult.AtMost("candidate path p50 - direct candidate p50", added, 1, " ms"));
        report.Config["pathRate"] = pathLoad.Rate;
        report.Config["pathMeasureSeconds"] = pathLoad.Measure.TotalSeconds;
        report.Config["rounds"] = pathLoad.Rounds;

        // (b) Split accuracy at weight 10: the simulators count what each received.
        await sut.CanaryCommandAsync("set-weight", """{"weight":10}""", ct).ConfigureAwait(false);
        await WaitForWeightAsync(sut, 10, TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
        await Task.WhenAll(primary.ResetStatsAsync(ct), candidate.ResetStatsAsync(ct)).ConfigureAwait(false);
        var split = await lab.Runner.RunAsync(
            Scenario.Create("canary/split-10", ChatSteps.Chat(client, sut.Url))
                .WithoutWarmUp()
                .WithLoadSimulations(Simulation.Inject(splitRate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(splitRequests / splitRate))),
            ct).ConfigureAwait(false);
        var primaryChats = ChatCount(await primary.StatsAsync(ct).ConfigureAwait(false));
        var candidateChats = ChatCount(await candidate.StatsAsync(ct).ConfigureAwait(false));
        var share = 100.0 * candidateChats / Math.Max(1, primaryChats + candidateChats);
        var splitArm = ArmSummary.From(split);
        splitArm.SetExtra("primaryChats", primaryChats);
        splitArm.SetExtra("candidateChats", candidateChats);
        splitArm.SetExtra("candidateSharePct", Math.Round(share, 3));
        report.Arms["split-weight-10"] = splitArm;
        report.Ratios["split.candidateSharePct"] = Math.Round(share, 3);
        report.Goals.Add(GoalResult.AtMost(
            string.Create(CultureInfo.InvariantCulture, $"split accuracy over {splitRequests} requests at weight 10: distance of the candidate share from 10 %"),
            Math.Abs(share - 10), 1, " pp"));
        report.Goals.Add(GoalResult.AtMost("split run: client errors", split.Fail, 0));
        report.Config["splitRequests"] = splitRequests;
        report.Config["splitRate"] = splitRate;
        await sut.CanaryCommandAsync("set-weight", """{"weight":0}""", ct).ConfigureAwait(false);

        // (c) Two instances ramping, then the candidate fails every call.
        await RollbackAsync(lab, report, candidate, [apps[1], apps[2]], hold, client).ConfigureAwait(false);

        report.AddNote("(a) weight 100 via POST /migration/canary/set-weight vs the driver calling the candidate simulator's /v1/chat/completions itself; same rate, alternating rounds, latency from the intended send time.");
        report.AddNote("(b) share = candidate chat requests / (primary + candidate) from GET /_sim/stats (reset before the run; health probes hit /v1/models and are not counted); shadow off.");
        report.AddNote("(c) rollback time = from PUT /_sim/faults {error500Rate: 1} on the candidate until GET /migration/canary on EVERY instance shows routing.weight 0 (its own routing cache), polled every 50 ms; client errors over the whole run, the fault included (failed canary calls fall back to the primary).");
        return report;
    }

    private static async Task RollbackAsync(LoadLab lab, ScenarioReport report, SimulatorProcess candidate, SampleApiProcess[] instances, int holdSeconds, HttpClient client)
    {
        var ct = lab.CancellationToken;
        var quick = lab.Settings.Quick;
        var rate = quick ? 100.0 : 200.0;
        var load = quick ? TimeSpan.FromSeconds(14) : TimeSpan.FromSeconds(30);

        await instances[0].CanaryCommandAsync("start", null, ct).ConfigureAwait(false);
        var chat = instances.Select(i => ChatSteps.Chat(client, i.Url)).ToArray();
        var scenario = Scenario.Create("canary/rollback", ctx => chat[ctx.InvocationNumber % 2](ctx))
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), load));
        var running = lab.Runner.RunAsync(scenario, ct);

        // Let it ramp past the first step (or at most half the run), then break the candidate.
        var clock = Stopwatch.StartNew();
        double rampedTo = 0;
        while (clock.Elapsed < load / 2)
        {
            rampedTo = Weight(await instances[0].GetJsonAsync("/migration/canary", ct).ConfigureAwait(false));
            if (rampedTo >= 25)
            {
                break;
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        await candidate.SetFaultsAsync("""{"error500Rate":1.0}""", ct).ConfigureAwait(false);
        var fault = Stopwatch.StartNew();
        var seen = new double?[instances.Length];
        while (seen.Any(s => s is null) && fault.Elapsed < TimeSpan.FromSeconds(30) && !running.IsCompleted)
        {
            for (var i = 0; i < instances.Length; i++)
            {
                if (seen[i] is null && await instances[i].GetJsonAsync("/migration/canary", ct).ConfigureAwait(false) is { } json
                    && json.TryGetProperty("routing", out var routing) && routing.GetProperty("weight").GetDouble() == 0)
                {
                    seen[i] = fault.Elapsed.TotalSeconds;
                }
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        var stats = await running.ConfigureAwait(false);
        await candidate.SetFaultsAsync("{}", ct).ConfigureAwait(false);
        var final = await instances[0].GetJsonAsync("/migration/canary", ct).ConfigureAwait(false);
        var state = final is { } f && f.TryGetProperty("state", out var s) ? s.GetString() : null;
        var reason = final is { } g && g.TryGetProperty("reason", out var r) ? r.GetString() : null;

        var arm = ArmSummary.From(stats);
        arm.SetExtra("weightAtFault", rampedTo);
        for (var i = 0; i < seen.Length; i++)
        {
            arm.SetExtra($"instance{i + 1}RollbackSeconds", seen[i] is { } v ? Math.Round(v, 3) : double.NaN);
        }

        report.Arms["rollback-2-instances"] = arm;
        var worst = seen.All(v => v is not null) ? seen.Max()!.Value : double.NaN;
        var limit = 2 * ControllerInterval.TotalSeconds;
        report.Ratios["rollback.seconds"] = Math.Round(worst, 3);
        report.Ratios["rollback.intervals"] = Math.Round(worst / ControllerInterval.TotalSeconds, 3);
        report.Goals.Add(GoalResult.AtMost(
            string.Create(CultureInfo.InvariantCulture, $"fault to rollback on every instance (interval {ControllerInterval.TotalSeconds:0} s)"), worst, limit, " s"));
        report.Goals.Add(GoalResult.AtMost("client-visible errors (whole run, fault included)", stats.Fail, 0));
        report.Config["rollbackRate"] = rate;
        report.Config["rollbackLoadSeconds"] = load.TotalSeconds;
        report.Config["rollbackSteps"] = "10, 25, 50, 100 %; step hold " + holdSeconds.ToString(CultureInfo.InvariantCulture) + " s; MinRequests " + MinRequests.ToString(CultureInfo.InvariantCulture) + "; window 10 s";
        report.Config["rollbackFinalState"] = state;
        report.Config["rollbackReason"] = reason;
    }

    private static Dictionary<string, string> Settings(string instance, int holdSeconds) => new()
    {
        ["InstanceName"] = instance,
        ["Canary:Interval"] = ControllerInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Canary:PollInterval"] = "00:00:05",
        ["Canary:StepHold"] = TimeSpan.FromSeconds(holdSeconds).ToString("c", CultureInfo.InvariantCulture),
        ["Canary:Window"] = "00:00:10",
        ["Canary:MinRequests"] = MinRequests.ToString(CultureInfo.InvariantCulture),
        ["Canary:MinPrimaryRequestsForComparison"] = "100000",
        ["Canary:Steps:0"] = "10",
        ["Canary:Steps:1"] = "25",
        ["Canary:Steps:2"] = "50",
        ["Canary:Steps:3"] = "100",
    };

    private static async Task WaitForWeightAsync(SampleApiProcess sut, double weight, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await sut.GetJsonAsync("/migration/canary", cancellationToken).ConfigureAwait(false) is { } json
                && json.TryGetProperty("routing", out var routing) && routing.GetProperty("weight").GetDouble() == weight)
            {
                return;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{sut.Url} did not route at weight {weight} within {timeout.TotalSeconds:0} s"));
    }

    private static double Weight(JsonElement? canary) =>
        canary is { } json && json.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDouble() : 0;

    internal static double ChatCount(JsonElement stats) =>
        stats.TryGetProperty("routes", out var routes) && routes.TryGetProperty("chat", out var chat) && chat.ValueKind == JsonValueKind.Number ? chat.GetDouble() : double.NaN;
}
