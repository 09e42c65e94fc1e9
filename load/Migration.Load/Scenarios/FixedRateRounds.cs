using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>
/// The settings of a comparison at a fixed open-model rate, arms alternating in rounds: rounds (at least
/// <see cref="Comparison.MinimumRounds"/>), measured time and rate from the command line or the scenario's
/// defaults, and a warm-up of 3 s (0.5 s with --quick).
/// </summary>
internal sealed record FixedRateRounds(int Rounds, TimeSpan Measure, TimeSpan WarmUp, double Rate)
{
    private static readonly TimeSpan FullMeasure = TimeSpan.FromSeconds(20);

    public static FixedRateRounds From(LoadSettings settings, TimeSpan quickMeasure, double fullRate, double quickRate)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var quick = settings.Quick;
        return new FixedRateRounds(
            Math.Max(Comparison.MinimumRounds, settings.Rounds ?? 3),
            settings.DurationOr(full: FullMeasure, quick: quickMeasure),
            quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(3),
            settings.Rate ?? (quick ? quickRate : fullRate));
    }

    /// <summary>One arm: <paramref name="step"/> at <see cref="Rate"/> for <see cref="Measure"/> after <see cref="WarmUp"/>.</summary>
    public ComparisonArm Arm(string name, string scenarioName, Func<IStepContext, Task<StepResponse>> step) =>
        new(name, Scenario.Create(scenarioName, step)
            .WithWarmUpDuration(WarmUp)
            .WithLoadSimulations(Simulation.Inject(Rate, TimeSpan.FromSeconds(1), Measure)));

    /// <summary>Runs <paramref name="arms"/> alternately for <see cref="Rounds"/> rounds (see <see cref="Comparison"/>).</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<ScenarioStats>>> RunAsync(LoadLab lab, IEnumerable<ComparisonArm> arms)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return Comparison.RunAsync(lab.Runner, arms.ToList(), Rounds, lab.CancellationToken);
    }

    /// <summary>Writes <c>rate</c>, <c>rounds</c> and <c>measureSeconds</c> into the report's config.</summary>
    public void AddTo(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Config["rate"] = Rate;
        report.Config["rounds"] = Rounds;
        report.Config["measureSeconds"] = Measure.TotalSeconds;
    }
}
