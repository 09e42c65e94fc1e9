using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migration.Core.Reporting;

/// <summary>
/// The JSON settings of the report and admin output: System.Text.Json web defaults (camelCase) with camelCase
/// enums. The report endpoint and <c>migrationctl report --json</c> both use them, so a script can read either.
/// </summary>
public static class ReportJson
{
    /// <summary>The shared settings (do not modify).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serialises <paramref name="value"/> with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
