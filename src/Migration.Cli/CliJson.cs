using System.Text.Json;

namespace Migration.Cli;

/// <summary>
/// JSON output: System.Text.Json web defaults (camelCase) with camelCase enums, exactly what the admin endpoints
/// serve, so a script can read either.
/// </summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = Migration.Core.Reporting.ReportJson.Options;

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
