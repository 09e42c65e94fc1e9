using System.Diagnostics;
using System.Globalization;
using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Load.Scenarios;

namespace Migration.Load.Cli;

/// <summary>
/// The tool: runs one scenario or all of them, writes each one's JSON and Markdown report. Exit codes: 0 every
/// scenario ran (goals missed or not available included: goals are judged by people on full runs), 1 a scenario
/// crashed, 2 bad usage or unknown scenario.
/// </summary>
internal static class LoadCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyList<ILoadScenario>? catalog = null, ProgressReporter? progress = null)
    {
        catalog ??= ScenarioCatalog.All;
        if (args.Any(a => a is "--help" or "-h"))
        {
            await output.WriteLineAsync(LoadArguments.Usage).ConfigureAwait(false);
            await output.WriteLineAsync(KnownScenarios(catalog)).ConfigureAwait(false);
            return Ok;
        }

        var parsed = LoadArguments.TryParse(args, out var problem);
        if (parsed is null)
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
            await error.WriteLineAsync(LoadArguments.Usage).ConfigureAwait(false);
            return BadUsage;
        }

        List<ILoadScenario> selected;
        if (string.Equals(parsed.Scenario, "all", StringComparison.OrdinalIgnoreCase))
        {
            selected = [.. catalog];
        }
        else if (catalog.FirstOrDefault(s => string.Equals(s.Name, parsed.Scenario, StringComparison.OrdinalIgnoreCase)) is { } one)
        {
            selected = [one];
        }
        else
        {
            await error.WriteLineAsync($"unknown scenario '{parsed.Scenario}'.").ConfigureAwait(false);
            await error.WriteLineAsync(KnownScenarios(catalog)).ConfigureAwait(false);
            return BadUsage;
        }

        ReleaseBuild.Skip = parsed.NoBuild;
        var settings = new LoadSettings
        {
            OutputDirectory = Path.GetFullPath(parsed.OutputDirectory),
            Quick = parsed.Quick,
            Rate = parsed.Rate,
            Duration = parsed.Duration,
            Rounds = parsed.Rounds,
        };
        Directory.CreateDirectory(settings.OutputDirectory);

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C: stop measuring and clean up (child processes are killed on the way out).
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var exit = Ok;
        try
        {
            foreach (var scenario in selected)
            {
                await output.WriteLineAsync($"== {scenario.Name}: {scenario.Description}{(settings.Quick ? " (quick)" : "")}").ConfigureAwait(false);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await using var lab = new LoadLab(settings, output, progress ?? ProgressReporter.ForConsole(), cancel.Token);
                    var report = await scenario.RunAsync(lab).ConfigureAwait(false);
                    var (json, md) = await ReportWriter.WriteAsync(report, settings.OutputDirectory, cancel.Token).ConfigureAwait(false);
                    await output.WriteLineAsync(Summary(report, Stopwatch.GetElapsedTime(started), json, md)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    await error.WriteLineAsync($"{scenario.Name}: cancelled.").ConfigureAwait(false);
                    return Failed;
                }
                catch (Exception ex)
                {
                    await error.WriteLineAsync($"{scenario.Name}: FAILED: {ex}").ConfigureAwait(false);
                    exit = Failed;
                }
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            ProcessTracker.KillAll();
        }

        return exit;
    }

    internal static string KnownScenarios(IReadOnlyList<ILoadScenario> catalog) =>
        "known scenarios: " + string.Join(", ", catalog.Select(s => s.Name)) + ", all";

    private static string Summary(ScenarioReport report, TimeSpan elapsed, string json, string md)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{report.Scenario}: {report.Status} in {elapsed.TotalSeconds:0.0} s -> {json}, {md}"),
        };
        foreach (var goal in report.Goals)
        {
            var met = goal.Met switch { true => "met", false => "MISSED", null => "not run" };
            var value = goal.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";
            lines.Add($"  {met,-7} {goal.Name}: {value} (target {goal.Target})");
        }

        foreach (var note in report.Notes ?? [])
        {
            lines.Add("  note: " + note);
        }

        return string.Join(Environment.NewLine, lines);
    }
}
