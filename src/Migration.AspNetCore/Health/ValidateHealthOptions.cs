using FluentValidation;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Health;

/// <summary>Runs <see cref="HealthOptionsValidator"/> at start-up and lists every problem with its configuration path.</summary>
internal sealed class ValidateHealthOptions : IValidateOptions<HealthOptions>
{
    private readonly IValidator<HealthOptions> _validator;
    private readonly string _sectionPath;

    public ValidateHealthOptions(IValidator<HealthOptions> validator, HealthConfigurationPath path)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(path);
        _validator = validator;
        _sectionPath = path.Value;
    }

    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = _validator.Validate(options);
        return result.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(result.Errors
                .Select(e => $"{ValidateMigrationHarnessOptions.ToConfigurationPath(_sectionPath, e.PropertyName)}: {e.ErrorMessage}")
                .Distinct(StringComparer.Ordinal)
                .ToList());
    }
}

/// <summary>The configuration path of the health options (for validation messages), e.g. <c>Migration:Health</c>.</summary>
internal sealed record HealthConfigurationPath(string Value);
