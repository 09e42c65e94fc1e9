using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Migration.Core.Canary;
using Migration.Core.Storage;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Postgres.Canary;

namespace Migration.Load.Scenarios;

/// <summary>
/// <c>switches</c>: how fast a runbook switch written to PostgreSQL (as <c>migrationctl</c> writes it, through the
/// same store) reaches a running instance: <c>shadow disable</c> / <c>enable</c> and <c>canary rollback</c>, each
/// timed from before the write until the instance's <c>GET /migration/status</c> shows it (polled every 10 ms),
/// repeated. The instance's safety-net poll is 10 minutes, so only NOTIFY can deliver the change in time. The
/// integration tests check that the switches take effect; the time limit is this scenario's goal.
/// </summary>
internal sealed class SwitchesScenario : ILoadScenario
{
    public string Name => "switches";

    public string Description => "runbook switches (shadow disable/enable, canary rollback) written to PostgreSQL: time until a running instance applies them";

    public async Task<ScenarioReport> RunAsync(LoadLab lab)
    {
        var repeats = lab.Settings.Quick ? 3 : 10;
        var ct = lab.CancellationToken;
        var primary = await lab.StartSimulatorAsync("openai").ConfigureAwait(false);
        var candidate = await lab.StartSimulatorAsync("holysheep").ConfigureAwait(false);
        var database = await lab.CreateDatabaseAsync("switches").ConfigureAwait(false);
        var settings = new Dictionary<string, string> { ["Canary:PollInterval"] = "00:10:00", ["Canary:ControllerEnabled"] = "false" };
        var sut = await lab.StartSampleApiAsync("switches", OverheadScenario.Harness(primary, candidate, database, shadow: true, settings)).ConfigureAwait(false);
        await using var store = PostgresCanaryStore.Create(database, TimeProvider.System);
        var policy = new CanaryPolicy(new CanaryPolicyOptions());
        const string actor = "cli:load";

        var shadowOff = new List<double>();
        var shadowOn = new List<double>();
        var rollback = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            shadowOff.Add(await TimeAsync(sut, () => store.SetShadowAsync(ICanaryStateStore.DefaultMigration, false, null, actor, "drill", ct), s => !Shadow(s), ct).ConfigureAwait(false));
            shadowOn.Add(await TimeAsync(sut, () => store.SetShadowAsync(ICanaryStateStore.DefaultMigration, true, null, actor, "drill over", ct), Shadow, ct).ConfigureAwait(false));

            var now = TimeProvider.System.GetUtcNow();
            await store.ApplyAsync(ICanaryStateStore.DefaultMigration, s => s.Phase is CanaryPhase.RolledBack ? policy.Apply(s, CanaryCommand.Retry("again"), now) : policy.Apply(s, CanaryCommand.Start("ramp"), now), actor, ct).ConfigureAwait(false);
            await TimeAsync(sut, () => Task.CompletedTask, s => Weight(s) > 0, ct).ConfigureAwait(false);
            rollback.Add(await TimeAsync(sut, () => store.ApplyAsync(ICanaryStateStore.DefaultMigration, s => policy.Apply(s, CanaryCommand.Rollback("drill"), TimeProvider.System.GetUtcNow()), actor, ct), s => Weight(s) == 0, ct).ConfigureAwait(false));
        }

        var report = new ScenarioReport { Scenario = Name };
        report.Config["repeats"] = repeats;
        report.Config["statusPollMs"] = 10;
        report.Config["machine"] = MachineInfo.Describe();
        foreach (var (name, values) in new[] { ("shadowDisable", shadowOff), ("shadowEnable", shadowOn), ("canaryRollback", rollback) })
        {
            report.Ratios[name + ".medianMs"] = Math.Round(ArmSummary.MedianOf(values), 1);
            report.Ratios[name + ".maxMs"] = Math.Round(values.Max(), 1);
            report.Goals.Add(GoalResult.AtMost(string.Create(CultureInfo.InvariantCulture, $"{name}: write to applied on the instance, slowest of {repeats}"), values.Max(), 1000, " ms"));
        }

        report.AddNote("each time includes the store write (one transaction with the event row and NOTIFY) and up to 10 ms of status polling.");
        return report;
    }

    private static async Task<double> TimeAsync(SampleApiProcess sut, Func<Task> write, Func<JsonElement, bool> applied, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await write().ConfigureAwait(false);
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            if (await sut.GetJsonAsync("/migration/status", cancellationToken).ConfigureAwait(false) is { } status && applied(status))
            {
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{sut.Url} did not apply the switch within 30 s");
    }

    private static bool Shadow(JsonElement status) => status.GetProperty("shadow").GetProperty("enabled").GetBoolean();

    private static double Weight(JsonElement status) => status.GetProperty("canary").GetProperty("weight").GetDouble();
}
