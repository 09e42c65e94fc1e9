using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Tests.Infrastructure;

namespace Migration.AspNetCore.Tests.Configuration;

public class ValidateMigrationHarnessOptionsTests
{
    private static OptionsValidationException? ValidateSection(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddMigrationHarness(configuration.GetSection("Migration"));
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    [Fact]
    public void Validate_MinimalConfiguration_Succeeds()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = TestOptions.AdminKey,
        });

        Assert.Null(error);
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOneWithItsPath()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:BaseUrl"] = "foo",
            ["Migration:Shadow:SampleRate"] = "1.5",
            ["Migration:Shadow:Workers"] = "0",
            ["Migration:Shadow:QueueCapacity"] = "0",
            ["Migration:Shadow:Timeout"] = "-00:00:01",
            ["Migration:Shadow:StickyKey"] = "cookie:x",
            ["Migration:Routes:0"] = "v1/chat/completions",
            ["Migration:Pricing:gpt-4.1:InputPerMTok"] = "-2",
            ["Migration:Candidate:ModelMap:gpt-4"] = "",
            ["Migration:Comparison:SimilarThreshold"] = "2",
            ["Migration:Readiness:MinMatchRate"] = "1.1",
        });

        Assert.NotNull(error);
        var failures = error.Failures.ToList();
        Assert.Contains("Migration:Candidate:BaseUrl: must be an absolute http or https URL (got 'foo')", failures);
        Assert.Contains("Migration:Shadow:SampleRate: must be between 0 and 1 (got 1.5)", failures);
        Assert.Contains("Migration:Admin:ApiKey: is required unless Admin:AuthorizationPolicy is set", failures);
        Assert.Contains(failures, f => f.StartsWith("Migration:Candidate:ApiKey: is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Shadow:Workers: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Shadow:QueueCapacity: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Shadow:Timeout: must be positive", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Shadow:StickyKey: must be 'header:NAME' or 'claim:TYPE'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Routes:0: must be a path starting with '/'", StringComparison.Ordinal));
        Assert.Contains("Migration:Pricing:gpt-4.1:InputPerMTok: must be 0 or more (got -2)", failures);
        Assert.Contains(failures, f => f.StartsWith("Migration:Candidate:ModelMap:gpt-4: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Comparison:SimilarThreshold: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Migration:Readiness:MinMatchRate: ", StringComparison.Ordinal));
        Assert.Equal(13, failures.Count);
    }

    [Fact]
    public void Validate_FallbackModelsWithEmptyName_NamesTheEntry()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = TestOptions.AdminKey,
            ["Migration:Candidate:FallbackModels:gpt-4.1:0"] = "gemini-2.5-flash",
            ["Migration:Candidate:FallbackModels:gpt-4.1:1"] = " ",
        });

        Assert.NotNull(error);
        Assert.Equal(["Migration:Candidate:FallbackModels:gpt-4.1:1: must name a model (got an empty value)"], error.Failures);
    }

    [Fact]
    public void Validate_DurationsBeyondTimerAndPollyLimits_NamedWithTheirPaths()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = TestOptions.AdminKey,
            ["Migration:Candidate:Timeout"] = "60.00:00:00",
            ["Migration:Canary:FirstByteTimeout"] = "00:00:00.005",
            ["Migration:Canary:CircuitBreakerBreakDuration"] = "2.00:00:00",
        });

        Assert.NotNull(error);
        Assert.Equal(
            [
                "Migration:Canary:CircuitBreakerBreakDuration: must be at most 1 day (got 2.00:00:00)",
                "Migration:Canary:FirstByteTimeout: must be between 10 ms and 24 h (got 00:00:00.0050000)",
                "Migration:Candidate:Timeout: must be at most 1 day (got 60.00:00:00)",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_FallbackModelsChain_Succeeds()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = TestOptions.AdminKey,
            ["Migration:Candidate:FallbackModels:gpt-4.1:0"] = "gemini-2.5-flash",
            ["Migration:Candidate:FallbackModels:gpt-4.1:1"] = "deepseek-v3.2",
        });

        Assert.Null(error);
    }

    [Fact]
    public void Validate_AuthorizationPolicyInsteadOfKey_Succeeds()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:AuthorizationPolicy"] = "MigrationAdmins",
        });

        Assert.Null(error);
    }

    [Fact]
    public void Validate_ShortAdminKey_NamesTheProblemWithoutTheSecret()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = "tiny-secret",
        });

        Assert.NotNull(error);
        Assert.Equal("Migration:Admin:ApiKey: must be at least 16 characters long", Assert.Single(error.Failures));
        Assert.DoesNotContain("tiny-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OptionsConfiguredInCode_PrefixesTheDefaultSectionName()
    {
        var services = new ServiceCollection();
        services.AddMigrationHarness(o => o.Shadow.MaxBodyBytes = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MigrationHarnessOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Shadow:MaxBodyBytes: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ResponsesRoute_RefusedNamingItsPathAndWhy()
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = TestOptions.AdminKey,
            ["Migration:Routes:0"] = "/v1/chat/completions",
            ["Migration:Routes:1"] = "/v1/responses",
            ["Migration:Routes:2"] = "/v1/audio/speech",
        });

        Assert.NotNull(error);
        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Routes:1: /v1/responses is not supported: the harness understands chat completions and embeddings only", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Migration:Routes:2: /v1/audio/speech is not supported", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/embeddings")]
    [InlineData("/v1/openai/chat/completions")]
    public void Validate_ChatAndEmbeddingsRoutes_Accepted(string route)
    {
        var error = ValidateSection(new()
        {
            ["Migration:Candidate:ApiKey"] = TestOptions.CandidateKey,
            ["Migration:Admin:ApiKey"] = TestOptions.AdminKey,
            ["Migration:Routes:0"] = route,
        });

        Assert.Null(error);
    }

    [Fact]
    public void Bind_RoutesConfigured_ReplaceTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Migration:Routes:0"] = "/v1/chat/completions",
        }).Build();
        var options = new MigrationHarnessOptions();
        configuration.GetSection("Migration").Bind(options);

        Assert.Equal(["/v1/chat/completions"], options.EffectiveRoutes);
        Assert.Equal(MigrationHarnessOptions.DefaultRoutes, new MigrationHarnessOptions().EffectiveRoutes);
    }

    [Theory]
    [InlineData("", "Shadow:SampleRate", "Migration:Shadow:SampleRate")]
    [InlineData("Migration", "Routes[2]", "Migration:Routes:2")]
    [InlineData("App:Migration", "Pricing:gpt-4.1:InputPerMTok", "App:Migration:Pricing:gpt-4.1:InputPerMTok")]
    public void ToConfigurationPath_PropertyName_IsColonSeparated(string section, string property, string expected)
    {
        var path = FluentValidateOptions<MigrationHarnessOptions>.ToConfigurationPath(section.Length == 0 ? "Migration" : section, property);

        Assert.Equal(expected, path);
    }
}
