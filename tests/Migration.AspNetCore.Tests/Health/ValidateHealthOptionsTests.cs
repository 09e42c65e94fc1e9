using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Health;

namespace Migration.AspNetCore.Tests.Health;

public sealed class ValidateHealthOptionsTests
{
    private static OptionsValidationException? Validate(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddMigrationHealth(configuration.GetSection("Migration"));
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<HealthOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.Null(Validate([]));
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOneWithItsPath()
    {
        var error = Validate(new()
        {
            ["Migration:Health:Interval"] = "00:00:00",
            ["Migration:Health:Timeout"] = "60.00:00:00",
            ["Migration:Health:FailureThreshold"] = "0",
            ["Migration:Health:DegradedSuccessRate"] = "0.1",
            ["Migration:Health:UnhealthySuccessRate"] = "0.5",
            ["Migration:Health:Failover:Cooldown"] = "-00:00:01",
            ["Migration:Health:AlertWebhookUrl"] = "ftp://x",
            ["Migration:Health:StreamingProbe:Enabled"] = "true",
            ["Migration:Health:StatusEventMinInterval"] = "-00:00:01",
        });

        Assert.NotNull(error);
        var failures = error.Failures.ToList();
        foreach (var path in new[] { "Interval", "Timeout", "FailureThreshold", "DegradedSuccessRate", "Failover:Cooldown", "AlertWebhookUrl", "StreamingProbe:Model", "StatusEventMinInterval" })
        {
            Assert.Contains(failures, f => f.StartsWith("Migration:Health:" + path + ": ", StringComparison.Ordinal));
        }

        Assert.Equal(8, failures.Count);
    }
}
