using Migration.Load.Calibration;

namespace Migration.Load.Scenarios;

/// <summary>Every scenario the tool knows, in the order <c>all</c> runs them.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<ILoadScenario> All { get; } =
    [
        new OverheadScenario(),
        new IsolationScenario(),
        new OverloadScenario(),
        new RecorderScenario(),
        new SseScenario(),
        new CanaryScenario(),
        new FailoverScenario(),
        new DriverScenario(),
        new SwitchesScenario(),
        new TimeSeriesScenario(),
        new ComparisonScenario(),
    ];

    public static ILoadScenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
