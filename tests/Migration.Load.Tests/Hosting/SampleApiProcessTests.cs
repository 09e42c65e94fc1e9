using Migration.Load.Hosting;

namespace Migration.Load.Tests.Hosting;

public sealed class SampleApiProcessTests
{
    [Fact]
    public void Environment_NestedHarnessSettings_BecomeDoubleUnderscoreVariables()
    {
        var config = new SutConfig
        {
            PrimaryBaseUrl = "http://127.0.0.1:1/v1",
            Harness = new HarnessConfig
            {
                CandidateBaseUrl = "http://127.0.0.1:2/v1",
                ConnectionString = "Host=127.0.0.1",
                Settings = new Dictionary<string, string>
                {
                    ["Canary:Steps:0"] = "10",
                    ["Health:Failover:Cooldown"] = "00:00:10",
                    ["InstanceName"] = "node-a",
                },
            },
        };

        var env = SampleApiProcess.Environment(config, "http://127.0.0.1:3");

        Assert.Equal("10", env["Migration__Canary__Steps__0"]);
        Assert.Equal("00:00:10", env["Migration__Health__Failover__Cooldown"]);
        Assert.Equal("node-a", env["Migration__InstanceName"]);
        Assert.Equal("http://127.0.0.1:2/v1", env["Migration__Candidate__BaseUrl"]);
        Assert.Equal("false", env["Migration__Shadow__Enabled"]);
    }

    [Fact]
    public void Environment_Bare_HasNoMigrationVariables()
    {
        var env = SampleApiProcess.Environment(new SutConfig { PrimaryBaseUrl = "http://127.0.0.1:1/v1" }, "http://127.0.0.1:3");

        Assert.DoesNotContain(env.Keys, k => k.StartsWith("Migration__", StringComparison.Ordinal));
        Assert.Equal("http://127.0.0.1:1/v1", env["Upstream__BaseUrl"]);
    }
}
