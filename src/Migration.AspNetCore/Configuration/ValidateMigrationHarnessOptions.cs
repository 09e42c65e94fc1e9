using System.Text;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Migration.AspNetCore.Configuration;

/// <summary>
/// Runs <see cref="MigrationHarnessOptionsValidator"/> for the options system and reports every failure as
/// "<c>{section}:{path}: {message}</c>", so a start-up error names each configuration key to fix.
/// </summary>
internal sealed class ValidateMigrationHarnessOptions : IValidateOptions<MigrationHarnessOptions>
{
    private readonly IValidator<MigrationHarnessOptions> _validator;
    private readonly string _sectionPath;

    public ValidateMigrationHarnessOptions(IValidator<MigrationHarnessOptions> validator, MigrationHarnessConfigurationPath path)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(path);
        _validator = validator;
        _sectionPath = path.Value;
    }

    public ValidateOptionsResult Validate(string? name, MigrationHarnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = _validator.Validate(options);
        if (result.IsValid)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = result.Errors
            .Select(e => $"{ToConfigurationPath(_sectionPath, e.PropertyName)}: {e.ErrorMessage}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// "Routes[2]" -> "Migration:Routes:2". Rules name their paths with ':' already; dots are kept because they
    /// occur in model names (<c>Pricing:gpt-4.1</c>).
    /// </summary>
    internal static string ToConfigurationPath(string sectionPath, string propertyName)
    {
        var path = new StringBuilder(sectionPath.Length + propertyName.Length + 1);
        if (sectionPath.Length > 0)
        {
            path.Append(sectionPath).Append(':');
        }

        foreach (var c in propertyName)
        {
            switch (c)
            {
                case '[':
                    path.Append(':');
                    break;
                case ']':
                    break;
                default:
                    path.Append(c);
                    break;
            }
        }

        return path.ToString();
    }
}
