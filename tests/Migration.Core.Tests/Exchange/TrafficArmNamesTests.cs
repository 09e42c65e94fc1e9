using Migration.Core.Exchange;

namespace Migration.Core.Tests.Exchange;

public sealed class TrafficArmNamesTests
{
    [Fact]
    public void Of_EveryArm_NameThatParsesBack()
    {
        Assert.Equal(["primary", "canary", "shadow", "failover"], Enum.GetValues<TrafficArm>().Select(TrafficArmNames.Of));
        Assert.All(Enum.GetValues<TrafficArm>(), a => Assert.Equal(a, TrafficArmNames.Parse(TrafficArmNames.Of(a))));
    }
}
