using Migration.Core.Comparison;

namespace Migration.Core.Tests.Comparison;

public sealed class VerdictNamesTests
{
    [Fact]
    public void Of_EveryVerdict_NameThatParsesBack()
    {
        Assert.Equal(["exact", "equivalent", "similar", "different", "error"], Enum.GetValues<Verdict>().Select(VerdictNames.Of));
        Assert.All(Enum.GetValues<Verdict>(), v => Assert.Equal(v, VerdictNames.Parse(VerdictNames.Of(v))));
    }
}
