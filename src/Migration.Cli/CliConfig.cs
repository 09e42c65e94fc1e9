using System.Text.Json;
using Migration.Core.Canary;
using Migration.Core.Reporting;

namespace Migration.Cli;

/// <summary>
/// The thresholds the CLI shares with the web app: read from the app's <c>appsettings.json</c> given with
/// <c>--config</c> (sections <c>Migration:Readiness</c> and <c>Migration:Canary</c>, the same keys the app binds),
/// else the defaults. Canary commands need the same steps as the app's controller, so pass the app's file.
/// <c>Migration:Canary:Migration</c> (the app's migration key) is read too.
/// </summary>
/// <param name="Migration">The migration key the app uses (<c>Migration:Canary:Migration</c>); null when the file sets none.</param>
internal sealed record CliConfig(ReadinessOptions Readiness, CanaryPolicyOptions Canary, string? Migration = null)
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
            throw new CliUsageException($"--config '{path}': no such file");
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
            var key = migration is { } m3 && Property(m3, "Canary") is { } c2 && Property(c2, "Migration") is { ValueKind: JsonValueKind.String } k
                ? k.GetString()
                : null;
            var problems = canary.Validate("Migration:Canary");
            if (problems.Count > 0)
            {
                throw new CliFailure($"config file '{path}': {string.Join("; ", problems)}");
            }

            if (key is not null && string.IsNullOrWhiteSpace(key))
            {
                throw new CliFailure($"config file '{path}': Migration:Canary:Migration must not be empty");
            }

            return new CliConfig(readiness, canary, key);
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
