using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Migration.AspNetCore.Configuration;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Telemetry;

namespace Migration.IntegrationTests.Docs;

/// <summary>
/// Checks <c>Migration:...</c> configuration names against the options types the code binds them to, by walking the
/// types' public properties as the configuration binder does (case-insensitive; dictionaries take any key, lists an
/// index; <c>&lt;model&gt;</c> stands for a key, <c>*</c> for any option of a section).
/// </summary>
internal static partial class OptionNames
{
    /// <summary>
    /// Sections and the type bound to each. A feature that binds a section of its own (as
    /// <c>AddMigrationHealth</c> binds <c>Migration:Health</c>) adds it here, so its pages are checked too.
    /// </summary>
    private static readonly (string Section, Type Type)[] Roots =
    [
        ("Migration", typeof(MigrationHarnessOptions)),
        ("Migration:Health", typeof(HealthOptions)),
        ("Migration:Telemetry", typeof(OtlpTelemetryOptions)),
        ("Migration:Enabled", typeof(bool)), // the sample API's switch (SampleApiApp)
    ];

    /// <summary>The <c>Migration:...</c> names in a line of text.</summary>
    public static IEnumerable<string> Find(string text) => Name().Matches(text).Select(m => m.Value);

    /// <summary>Null when <paramref name="name"/> is an option (or section) the code binds; else why not.</summary>
    public static string? Problem(string name)
    {
        var root = Roots
            .Where(r => name.Equals(r.Section, StringComparison.OrdinalIgnoreCase) || name.StartsWith(r.Section + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.Section.Length)
            .FirstOrDefault();
        if (root.Type is null)
        {
            return $"'{name}' is in no bound section";
        }

        var type = root.Type;
        var segments = name.Length == root.Section.Length ? [] : name[(root.Section.Length + 1)..].Split(':');
        foreach (var segment in segments)
        {
            if (segment == "*")
            {
                return IsLeaf(type) ? $"'{name}': {type.Name} has no options" : null;
            }

            if (ElementOf(type, typeof(IDictionary<,>)) is { } value)
            {
                type = value;
                continue;
            }

            if (ElementOf(type, typeof(IList<>)) is { } item)
            {
                if (!segment.All(char.IsAsciiDigit) && !segment.StartsWith('<'))
                {
                    return $"'{name}': '{segment}' is not an index";
                }

                type = item;
                continue;
            }

            var property = IsLeaf(type) ? null : type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanRead)
            {
                return $"'{name}': {type.Name} has no option '{segment}'";
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return null;
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static Type? ElementOf(Type type, Type generic)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var match = type.IsGenericType && type.GetGenericTypeDefinition() == generic
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        return match?.GetGenericArguments()[^1];
    }

    [GeneratedRegex(@"\bMigration(?::(?:[A-Za-z][A-Za-z0-9_]*|<[^>\s]+>|\*))+")]
    private static partial Regex Name();
}
