using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>failover</c>: steady open-model load on the harness (canary at 0, shadow off), then a full primary outage
/// (<c>PUT /_sim/faults {"outage":true}</c> on the primary simulator). Measures detection (GET /migration/health
/// shows the primary unhealthy), the switch (the first chat request the candidate simulator counts), client
/// errors before the switch (0: failed primary calls are served by the candidate) and after it, then recovery (outage over, traffic back after the cooldown).
/// </summary>
internal sealed class FailoverScenario : ILoadScenario
{
    public string Name => "failover";

    public string Description => "primary outage under load: detection time, switch time, client errors after the switch, recovery";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var quick = lab.Settings.Quick;
        var ct = lab.CancellationToken;
        var rate = lab.Settings.Rate ?? (quick ? 100 : 200);
        var cooldown = quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(10);
        var outageHold = quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(10);
        var load = lab.Settings.Duration ?? (quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(50));

        var simulators = await Task.WhenAll(lab.StartSimulatorAsync("openai"), lab.StartSimulatorAsync("holysheep")).ConfigureAwait(false);
        var (primary, candidate) = (simulators[0], simulators[1]);
        var database = await lab.CreateDatabaseAsync("failover").ConfigureAwait(false);
        var sut = await lab.StartSampleApiAsync("failover", OverheadScenario.Harness(primary, candidate, database, shadow: false, new Dictionary<string, string>
        {
            ["Health:Interval"] = "00:00:01",
            ["Health:Timeout"] = "00:00:01",
            ["Health:FailureThreshold"] = "3",
            ["Health:RecoveryThreshold"] = "2",
            ["Health:Failover:Cooldown"] = cooldown.ToString("c", CultureInfo.InvariantCulture),
        })).ConfigureAwait(false);
        using var client = HttpStep.CreateClient();

        await WaitAsync("both providers healthy", async () => await HealthAsync(sut, ct).ConfigureAwait(false) is { } h
            && Status(h, "primary") == "healthy" && Status(h, "candidate") == "healthy", TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);

        // Failures with the time they were seen (from the start of the measured load).
        var clock = Stopwatch.StartNew();
        var failures = new ConcurrentQueue<double>();
        var chat = ChatSteps.Chat(client, sut.Url);
        var scenario = Scenario.Create("failover/load", async ctx =>
            {
                var response = await chat(ctx).ConfigureAwait(false);
                if (!response.IsOk)
                {
                    failures.Enqueue(clock.Elapsed.TotalSeconds);
                }

                return response;
            })
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), load));
        var cpuBefore = sut.Process.CpuSeconds;
        clock.Restart();
        var running = lab.Runner.RunAsync(scenario, ct);

        await Task.Delay(quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        var candidateChatsBefore = CanaryScenario.ChatCount(await candidate.StatsAsync(ct).ConfigureAwait(false));
        await primary.SetFaultsAsync("""{"outage":true}""", ct).ConfigureAwait(false);
        var faultAt = clock.Elapsed.TotalSeconds;
        double? detected = null;
        double? routed = null;
        double? switched = null;
        while ((detected is null || routed is null || switched is null) && clock.Elapsed.TotalSeconds - faultAt < 30)
        {
            var health = await HealthAsync(sut, ct).ConfigureAwait(false);
            var now = clock.Elapsed.TotalSeconds - faultAt;
            if (health is { } h)
            {
                if (detected is null && Status(h, "primary") == "unhealthy")
                {
                    detected = now;
                }

                if (routed is null && RouteToCandidate(h))
                {
                    routed = now;
                    detected ??= now;
                }
            }

            if (switched is null && CanaryScenario.ChatCount(await candidate.StatsAsync(ct).ConfigureAwait(false)) > candidateChatsBefore)
            {
                switched = clock.Elapsed.TotalSeconds - faultAt;
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        // Errors after the switch: from the moment the harness routes to the candidate (the later of both signals).
        var switchAt = faultAt + Math.Max(routed ?? double.NaN, switched ?? double.NaN);
        await Task.Delay(outageHold, ct).ConfigureAwait(false);

        // Recovery: the outage ends, the primary is healthy after RecoveryThreshold probes, traffic moves back after the cooldown.
        await primary.SetFaultsAsync("{}", ct).ConfigureAwait(false);
        var recoveryAt = clock.Elapsed.TotalSeconds;
        double? healthy = null;
        double? back = null;
        while ((healthy is null || back is null) && clock.Elapsed.TotalSeconds - recoveryAt < cooldown.TotalSeconds + 20)
        {
            if (await HealthAsync(sut, ct).ConfigureAwait(false) is { } h)
            {
                var now = clock.Elapsed.TotalSeconds - recoveryAt;
                if (healthy is null && Status(h, "primary") == "healthy")
                {
                    healthy = now;
                }

                if (back is null && !RouteToCandidate(h))
                {
                    back = now;
                }
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        var stats = await running.ConfigureAwait(false);
        var cpuAfter = sut.Process.CpuSeconds;
        var times = failures.ToArray();
        var afterSwitch = double.IsNaN(switchAt) ? double.NaN : times.Count(t => t > switchAt);
        var beforeSwitch = double.IsNaN(switchAt) ? double.NaN : times.Count(t => t <= switchAt);

        var report = new ScenarioReport { Scenario = Name };
        report.Config["rate"] = rate;
        report.Config["loadSeconds"] = load.TotalSeconds;
        report.Config["health"] = "probe GET /v1/models every 1 s, timeout 1 s, FailureThreshold 3, RecoveryThreshold 2";
        report.Config["cooldownSeconds"] = cooldown.TotalSeconds;
        report.Config["outageHoldSeconds"] = outageHold.TotalSeconds;
        report.Config["machine"] = MachineInfo.Describe();
        var arm = ArmSummary.From(stats);
        arm.SetExtra("faultAtSeconds", Math.Round(faultAt, 3));
        arm.SetExtra("detectedSeconds", Round(detected));
        arm.SetExtra("routeToCandidateSeconds", Round(routed));
        arm.SetExtra("firstCandidateChatSeconds", Round(switched));
        arm.SetExtra("errorsBeforeSwitch", beforeSwitch);
        arm.SetExtra("errorsAfterSwitch", afterSwitch);
        var cpuPerRequest = cpuBefore is { } c0 && cpuAfter is { } c1 && arm.Ok + arm.Fail > 0 ? (c1 - c0) / (arm.Ok + arm.Fail) : double.NaN;
        arm.SetExtra("sutCpuSecondsPerRequest", Math.Round(cpuPerRequest, 6));
        arm.SetExtra("recoveryPrimaryHealthySeconds", Round(healthy));
        arm.SetExtra("recoveryTrafficBackSeconds", Round(back));
        report.Arms["primary-outage"] = arm;
        report.Ratios["detectionSeconds"] = Round(detected);
        report.Ratios["switchSeconds"] = Round(Max(routed, switched));
        report.Ratios["trafficBackSeconds"] = Round(back);
        report.Goals.Add(GoalResult.AtMost("outage detection (primary unhealthy)", detected, 5, " s"));
        report.Goals.Add(GoalResult.AtMost("switch to the candidate (routeToCandidate and first candidate chat)", Max(routed, switched), 15, " s"));
        report.Goals.Add(GoalResult.AtMost("client errors before the switch (candidate healthy: failed primary calls served by the candidate)", beforeSwitch, 0));
        report.Goals.Add(GoalResult.AtMost("client errors after the switch (recovery included)", afterSwitch, 0));
        report.AddNote("Times are seconds from PUT /_sim/faults {outage: true} on the primary simulator. Detection: GET /migration/health shows the primary unhealthy; switch: the later of failover.routeToCandidate and the first chat request the candidate simulator counts (polled every 50 ms).");
        report.AddNote("Before the switch the primary answers 503 until detection; each such request is served by the healthy candidate in the same deadline (failover arm), so the goal is 0 client errors. Errors after the switch include the recovery (outage over, traffic back after the cooldown).");
        report.AddNote("sutCpuSecondsPerRequest: the harness process's CPU time (user + system) over the measured load divided by the requests sent.");
        return report;
    }

    private static double Round(double? value) => value is { } v ? Math.Round(v, 3) : double.NaN;

    private static double? Max(double? a, double? b) => a is { } x && b is { } y ? Math.Max(x, y) : null;

    private static async Task<JsonElement?> HealthAsync(SampleApiProcess sut, CancellationToken cancellationToken) =>
        await sut.GetJsonAsync("/migration/health", cancellationToken).ConfigureAwait(false);

    private static string? Status(JsonElement health, string role) =>
        health.TryGetProperty("providers", out var providers)
            ? providers.EnumerateArray().Where(p => p.GetProperty("role").GetString() == role).Select(p => p.GetProperty("status").GetString()).FirstOrDefault()
            : null;

    private static bool RouteToCandidate(JsonElement health) =>
        health.TryGetProperty("failover", out var failover) && failover.TryGetProperty("routeToCandidate", out var route) && route.ValueKind == JsonValueKind.True;

    private static async Task WaitAsync(string what, Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition().ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"failover: {what} not reached within {timeout.TotalSeconds:0} s");
    }
}
