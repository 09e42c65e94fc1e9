using Migration.Core.Canary;

namespace Migration.Core.Tests.Canary;

public class CanaryStateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Initial_IsIdleAtWeightZeroVersionZero()
    {
        var state = CanaryState.Initial;

        Assert.Equal(CanaryPhase.Idle, state.Phase);
        Assert.Equal(0, state.Weight);
        Assert.Equal(-1, state.StepIndex);
        Assert.Equal(0, state.Version);
        Assert.Null(state.StepStartedAt);
    }

    [Fact]
    public void ToSnapshot_Paused_WritesLowercaseNames()
    {
        var state = new CanaryState
        {
            Phase = CanaryPhase.Paused,
            PausedFrom = CanaryPhase.Ramping,
            StepIndex = 2,
            Weight = 25,
            StepStartedAt = T0,
            UpdatedAt = T0.AddMinutes(1),
            Version = 9,
            Reason = "paused at 25%",
        };

        var snapshot = state.ToSnapshot();

        Assert.Equal(
            new CanaryStateSnapshot
            {
                State = "paused",
                PausedFrom = "ramping",
                StepIndex = 2,
                Weight = 25,
                StepStartedAt = T0,
                UpdatedAt = T0.AddMinutes(1),
                Version = 9,
                Reason = "paused at 25%",
            },
            snapshot);
    }

    [Theory]
    [InlineData(CanaryPhase.Idle, 0.0)]
    [InlineData(CanaryPhase.Shadow, 0.0)]
    [InlineData(CanaryPhase.Ramping, 10.0)]
    [InlineData(CanaryPhase.Paused, 10.0)]
    [InlineData(CanaryPhase.RolledBack, 0.0)]
    [InlineData(CanaryPhase.Promoted, 100.0)]
    public void FromSnapshot_RoundTrip_GivesTheSameState(CanaryPhase phase, double weight)
    {
        var state = new CanaryState
        {
            Phase = phase,
            Weight = weight,
            StepIndex = 1,
            PausedFrom = phase == CanaryPhase.Paused ? CanaryPhase.Ramping : null,
            StepStartedAt = T0,
            UpdatedAt = T0,
            Version = 3,
            Reason = "why",
        };

        Assert.Equal(state, CanaryState.FromSnapshot(state.ToSnapshot()));
    }

    [Fact]
    public void FromSnapshot_PausedWithoutPausedFrom_AssumesRamping()
    {
        var state = CanaryState.FromSnapshot(new CanaryStateSnapshot { State = "paused", Weight = 10, StepStartedAt = T0 });

        Assert.Equal(CanaryPhase.Ramping, state.PausedFrom);
    }

    [Fact]
    public void FromSnapshot_PausedFromOnOtherState_IsDropped()
    {
        var state = CanaryState.FromSnapshot(new CanaryStateSnapshot { State = "ramping", PausedFrom = "ramping", Weight = 10, StepStartedAt = T0 });

        Assert.Null(state.PausedFrom);
    }

    [Theory]
    [InlineData("Ramping", 10.0, true)]
    [InlineData("stopped", 0.0, false)]
    [InlineData("ramping", 100.5, true)]
    [InlineData("ramping", -1.0, true)]
    [InlineData("ramping", 10.0, false)]
    [InlineData("paused", 10.0, false)]
    public void FromSnapshot_Invalid_ThrowsFormatException(string name, double weight, bool withStart)
    {
        var snapshot = new CanaryStateSnapshot { State = name, Weight = weight, StepStartedAt = withStart ? T0 : null };

        Assert.Throws<FormatException>(() => CanaryState.FromSnapshot(snapshot));
    }

    [Fact]
    public void FromSnapshot_UnknownPausedFrom_ThrowsFormatException()
    {
        var snapshot = new CanaryStateSnapshot { State = "paused", PausedFrom = "sleeping", Weight = 10, StepStartedAt = T0 };

        Assert.Throws<FormatException>(() => CanaryState.FromSnapshot(snapshot));
    }
}
