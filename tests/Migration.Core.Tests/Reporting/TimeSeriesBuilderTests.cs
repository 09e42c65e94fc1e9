using Migration.Core.Canary;
using Migration.Core.Reporting;
using Migration.Core.Storage;

namespace Migration.Core.Tests.Reporting;

public sealed class TimeSeriesBuilderTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Canary_EventsInWindow_WeightStepsAtEachEvent()
    {
        var query = TimeSeriesQuery.Create(From, From.AddSeconds(60), 10);
        CanaryEventRecord[] events =
        [
            Event(1, 5, "idle", "ramping", 0, 5, "api"),
            Event(2, 25, "ramping", "ramping", 5, 10, "controller"),
            Event(3, 41, "ramping", "rolled_back", 10, 0, "controller"),
        ];

        var canary = TimeSeriesBuilder.Canary(query, State(CanaryPhase.RolledBack, 0), events);

        Assert.Equal([5.0, 5, 10, 10, 0, 0], canary.Weight);
        Assert.Equal(["start", "advance", "rollback"], canary.Events.Select(e => e.Kind));
        Assert.Equal("rolled_back", canary.State);
        Assert.False(canary.Truncated);
    }

    [Fact]
    public void Canary_NoEventsInWindow_CurrentWeightThroughout()
    {
        var query = TimeSeriesQuery.Create(From, From.AddSeconds(30), 10);

        var canary = TimeSeriesBuilder.Canary(query, State(CanaryPhase.Ramping, 25), []);

        Assert.Equal([25.0, 25, 25], canary.Weight);
    }

    [Theory]
    [InlineData("ramping", "paused", 10, 10, "api", "pause")]
    [InlineData("paused", "ramping", 10, 10, "api", "resume")]
    [InlineData("ramping", "promoted", 50, 100, "cli:ops", "promote")]
    [InlineData("ramping", "ramping", 25, 10, "api", "set_weight")]
    [InlineData("ramping", "ramping", 10, 25, "api", "set_weight")]
    [InlineData("ramping", "ramping", 10, 25, "controller", "advance")]
    [InlineData("ramping", "ramping", 25, 25, "health", "failover")]
    [InlineData("rolled_back", "ramping", 0, 5, "api", "start")]
    public void KindOf_Transition_Named(string from, string to, double fromWeight, double toWeight, string actor, string kind) =>
        Assert.Equal(kind, TimeSeriesBuilder.KindOf(new CanaryEventRecord(1, "default", From, from, to, fromWeight, toWeight, actor, "r", null)));

    private static CanaryEventRecord Event(long id, int second, string from, string to, double fromWeight, double toWeight, string actor) =>
        new(id, "default", From.AddSeconds(second), from, to, fromWeight, toWeight, actor, "why", null);

    private static CanaryStoreState State(CanaryPhase phase, double weight) => new()
    {
        Migration = "default",
        State = CanaryState.Initial with { Phase = phase, Weight = weight },
    };
}
