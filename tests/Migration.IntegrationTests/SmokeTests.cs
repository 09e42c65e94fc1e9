namespace Migration.IntegrationTests;

public class SmokeTests
{
    [Fact]
    public void Build_Succeeds() => Assert.True(true);
}
