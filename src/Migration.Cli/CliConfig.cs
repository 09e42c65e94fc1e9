using System.Text.Json;
using Migration.Core.Canary;
using Migration.Core.Reporting;

namespace Migration.Cli;

/// <summary>
/// The thresholds the CLI shares with the web app: read from the app's <c>appsettings.json</c> given with
/// <c>--config</c> (sections <c>Migration:Readiness</c> and <c>Migration:Canary</c>, the same keys the app binds),
/// else the defaults. Canary commands need the same steps as the app's controller, so pass the app's file.
/// </summary>
internal sealed record CliConfig(ReadinessOptions Readiness, CanaryPolicyOptions Canary)
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static CliConfig Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return new CliConfig(new ReadinessOptions(), new CanaryPolicyOptions());
        }

        if (!File.Exists(path))
        {
            throw new CliFailure($"config file '{path}' does not exist");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var migration = Property(document.RootElement, "Migration");
            var readiness = migration is { } m && Property(m, "Readiness") is { } r
                ? r.Deserialize<ReadinessOptions>(ReadOptions) ?? new ReadinessOptions()
                : new ReadinessOptions();
            var canary = migration is { } m2 && Property(m2, "Canary") is { } c
                ? c.Deserialize<CanaryPolicyOptions>(ReadOptions) ?? new CanaryPolicyOptions()
                : new CanaryPolicyOptions();
            var problems = canary.Validate("Migration:Canary");
            if (problems.Count > 0)
            {
                throw new CliFailure($"config file '{path}': {string.Join("; ", problems)}");
            }

            return new CliConfig(readiness, canary);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            throw new CliFailure($"config file '{path}' cannot be read: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
