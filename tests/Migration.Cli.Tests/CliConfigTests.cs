namespace Migration.Cli.Tests;

public sealed class CliConfigTests
{
    [Fact]
    public void Load_NoPath_Defaults()
    {
        var config = CliConfig.Load(null);

        Assert.Equal(100, config.Readiness.MinCompared);
        Assert.Equal([5d, 10, 25, 50, 100], config.Canary.EffectiveSteps);
    }

    [Fact]
    public void Load_AppSettings_ReadsBothSections()
    {
        var path = Write("""{ "Logging": {}, "migration": { "readiness": { "MinMatchRate": 0.8 }, "Canary": { "Steps": [1, 100], "StepHold": "00:00:30" } } }""");
        try
        {
            var config = CliConfig.Load(path);

            Assert.Equal(0.8, config.Readiness.MinMatchRate);
            Assert.Equal([1d, 100], config.Canary.EffectiveSteps);
            Assert.Equal(TimeSpan.FromSeconds(30), config.Canary.StepHold);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{ "Migration": { "Canary": { "Steps": [50, 10] } } }""", "Migration:Canary:Steps[1] must be greater than the previous step")]
    [InlineData("""{ "Migration": """, "cannot be read")]
    public void Load_Invalid_FailsWithReason(string json, string message)
    {
        var path = Write(json);
        try
        {
            var ex = Assert.Throws<CliFailure>(() => CliConfig.Load(path));
            Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_BadUsage()
    {
        var ex = Assert.Throws<CliUsageException>(() => CliConfig.Load("/nonexistent/appsettings.json"));
        Assert.Contains("--config '/nonexistent/appsettings.json': no such file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MigrationKey_ReadFromTheCanarySection()
    {
        var path = Write("""{ "Migration": { "Canary": { "Migration": "checkout-bot" } } }""");
        try
        {
            Assert.Equal("checkout-bot", CliConfig.Load(path).Migration);
            Assert.Null(CliConfig.Load(null).Migration);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Write(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cli-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
