using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migration.Cli;

/// <summary>
/// JSON output: System.Text.Json web defaults (camelCase) with camelCase enums, exactly what the admin endpoints
/// serve, so a script can read either.
/// </summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
