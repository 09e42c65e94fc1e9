using Migration.Core.Canary;

namespace Migration.Core.Tests.Canary;

public class CanaryPhaseNamesTests
{
    [Theory]
    [InlineData(CanaryPhase.Idle, "idle")]
    [InlineData(CanaryPhase.Shadow, "shadow")]
    [InlineData(CanaryPhase.Ramping, "ramping")]
    [InlineData(CanaryPhase.Paused, "paused")]
    [InlineData(CanaryPhase.RolledBack, "rolled_back")]
    [InlineData(CanaryPhase.Promoted, "promoted")]
    public void ToName_EveryPhase_StableLowercaseNameThatParsesBack(CanaryPhase phase, string name)
    {
        Assert.Equal(name, phase.ToName());
        Assert.True(CanaryPhaseNames.TryParse(name, out var parsed));
        Assert.Equal(phase, parsed);
    }

    [Fact]
    public void ToName_EveryDefinedPhase_HasAName()
    {
        Assert.All(Enum.GetValues<CanaryPhase>(), p => Assert.False(string.IsNullOrEmpty(p.ToName())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Ramping")]
    [InlineData("rolledback")]
    [InlineData("2")]
    public void TryParse_NotAStoredName_ReturnsFalse(string? name)
    {
        Assert.False(CanaryPhaseNames.TryParse(name, out _));
    }

    [Fact]
    public void ToName_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((CanaryPhase)42).ToName());
    }
}
