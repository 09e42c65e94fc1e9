using Migration.Load.Driver;
using Migration.Load.Hosting;
using Migration.Load.Reports;
using Migration.Load.Scenarios;

namespace Migration.Load.Tests.Scenarios;

public sealed class FixedRateRoundsTests
{
    [Fact]
    public void From_FullRunWithoutOverrides_ScenarioDefaults()
    {
        var load = FixedRateRounds.From(new LoadSettings { OutputDirectory = "out" }, TimeSpan.FromSeconds(2), fullRate: 200, quickRate: 100);

        Assert.Equal(new FixedRateRounds(3, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3), 200), load);
    }

    [Fact]
    public void From_Quick_QuickMeasureWarmUpAndRate()
    {
        var load = FixedRateRounds.From(new LoadSettings { OutputDirectory = "out", Quick = true }, TimeSpan.FromSeconds(1.5), fullRate: 100, quickRate: 50);

        Assert.Equal(new FixedRateRounds(3, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.5), 50), load);
    }

    [Fact]
    public void From_CommandLineOverrides_WinButRoundsStayAtLeastMinimum()
    {
        var settings = new LoadSettings { OutputDirectory = "out", Quick = true, Rate = 321, Duration = TimeSpan.FromSeconds(7), Rounds = 1 };

        var load = FixedRateRounds.From(settings, TimeSpan.FromSeconds(2), fullRate: 200, quickRate: 100);

        Assert.Equal(Comparison.MinimumRounds, load.Rounds);
        Assert.Equal(TimeSpan.FromSeconds(7), load.Measure);
        Assert.Equal(321, load.Rate);
        Assert.Equal(5, FixedRateRounds.From(settings with { Rounds = 5 }, TimeSpan.FromSeconds(2), 200, 100).Rounds);
    }

    [Fact]
    public void Arm_Step_WarmUpThenInjectAtRateForMeasure()
    {
        var load = new FixedRateRounds(3, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), 25);

        var arm = load.Arm("bare", "sse/bare", _ => Task.FromResult(default(StepResponse)));

        Assert.Equal("bare", arm.Name);
        Assert.Equal("sse/bare", arm.Scenario.Name);
        Assert.Equal(TimeSpan.FromSeconds(1), arm.Scenario.WarmUp);
        var inject = Assert.IsType<LoadSimulation.Inject>(Assert.Single(arm.Scenario.Simulations));
        Assert.Equal(new LoadSimulation.Inject(25, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)), inject);
    }

    [Fact]
    public void AddTo_Report_WritesRateRoundsAndMeasureSeconds()
    {
        var report = new ScenarioReport { Scenario = "sse" };

        new FixedRateRounds(4, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(1), 50).AddTo(report);

        Assert.Equal(50.0, report.Config["rate"]);
        Assert.Equal(4, report.Config["rounds"]);
        Assert.Equal(2.5, report.Config["measureSeconds"]);
    }
}
