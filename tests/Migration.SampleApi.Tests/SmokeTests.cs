namespace Migration.SampleApi.Tests;

public class SmokeTests
{
    [Fact]
    public void Build_Succeeds() => Assert.True(true);
}
