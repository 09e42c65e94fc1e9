using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Tests.Infrastructure;

namespace Migration.AspNetCore.Tests.Configuration;

public sealed class FluentValidateOptionsTests
{
    [Fact]
    public void Assembly_OptionsValidation_OneGenericFluentValidationAdapter()
    {
        var adapters = typeof(MigrationHarnessOptions).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidateOptions<>)))
            .ToList();

        var adapter = Assert.Single(adapters);
        Assert.True(adapter.IsGenericTypeDefinition);
    }

    [Fact]
    public void AddMigrationHarnessAndHealth_ValidatorsScanned_EachRegisteredOnceAsSingleton()
    {
        var services = new ServiceCollection();
        services.AddMigrationHarness(TestOptions.Valid());
        services.AddMigrationHealth(_ => { });
        services.AddMigrationHarness(TestOptions.Valid());

        var harness = Assert.Single(services, d => d.ServiceType == typeof(IValidator<MigrationHarnessOptions>));
        var health = Assert.Single(services, d => d.ServiceType == typeof(IValidator<HealthOptions>));
        Assert.Equal(ServiceLifetime.Singleton, harness.Lifetime);
        Assert.Equal(ServiceLifetime.Singleton, health.Lifetime);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<MigrationHarnessOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<HealthOptions>));
    }

    [Fact]
    public void Validate_AnotherValidatorRegistered_BothRunWithConfigurationPaths()
    {
        var services = new ServiceCollection();
        services.AddMigrationHarness(TestOptions.Valid(more: o => o.Shadow.SampleRate = 2));
        services.AddSingleton<IValidator<MigrationHarnessOptions>, InstanceNameRequiresPrefix>();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Shadow:SampleRate: ", StringComparison.Ordinal));
        Assert.Contains("Migration:InstanceName: must start with 'prod-'", error.Failures);
    }

    private sealed class InstanceNameRequiresPrefix : AbstractValidator<MigrationHarnessOptions>
    {
        public InstanceNameRequiresPrefix() =>
            RuleFor(o => o.InstanceName).Must(n => n?.StartsWith("prod-", StringComparison.Ordinal) == true)
                .OverridePropertyName("InstanceName").WithMessage("must start with 'prod-'");
    }
}
