using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>The report of a scenario whose product part does not exist yet: status "not_available", goals not run.</summary>
internal static class NotAvailable
{
    public static ScenarioReport Report(string scenario, string reason, params (string Goal, string Target)[] goals)
    {
        var report = new ScenarioReport { Scenario = scenario, Status = "not_available" };
        report.AddNote("not available yet: " + reason);
        foreach (var (goal, target) in goals)
        {
            report.Goals.Add(GoalResult.NotRun(goal, target));
        }

        return report;
    }
}
