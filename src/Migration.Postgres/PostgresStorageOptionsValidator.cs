using Microsoft.Extensions.Options;

namespace Migration.Postgres;

/// <summary>Validates <see cref="PostgresStorageOptions"/> at start-up, listing every problem.</summary>
internal sealed class PostgresStorageOptionsValidator : IValidateOptions<PostgresStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
