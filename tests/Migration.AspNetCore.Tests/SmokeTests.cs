namespace Migration.AspNetCore.Tests;

public class SmokeTests
{
    [Fact]
    public void Build_Succeeds() => Assert.True(true);
}
