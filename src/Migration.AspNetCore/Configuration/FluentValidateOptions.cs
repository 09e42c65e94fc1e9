using System.Text;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Migration.AspNetCore.Configuration;

/// <summary>
/// The one bridge from FluentValidation to the options system: runs every <see cref="IValidator{T}"/> of
/// <typeparamref name="TOptions"/> (scanned from this assembly, plus any the application adds) and reports every
/// failure as "<c>{section}:{path}: {message}</c>", so a start-up error names each configuration key to fix.
/// </summary>
internal sealed class FluentValidateOptions<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly IValidator<TOptions>[] _validators;
    private readonly string _sectionPath;

    public FluentValidateOptions(IEnumerable<IValidator<TOptions>> validators, OptionsConfigurationPath<TOptions> path)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(path);
        _validators = [.. validators];
        _sectionPath = path.Value;
    }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = _validators
            .SelectMany(v => v.Validate(options).Errors)
            .Select(e => $"{ToConfigurationPath(_sectionPath, e.PropertyName)}: {e.ErrorMessage}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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
