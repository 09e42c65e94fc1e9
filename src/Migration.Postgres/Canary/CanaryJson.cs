using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migration.Postgres.Canary;

/// <summary>How metrics and decisions are stored in jsonb: camelCase, like the admin API serves them.</summary>
internal static class CanaryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string? Serialize<T>(T? value)
        where T : class => value is null ? null : JsonSerializer.Serialize(value, Options);

    /// <summary>Reads stored JSON; null for null or unreadable text (an audit row must never break a read).</summary>
    public static T? Deserialize<T>(string? json)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
