using System.Text.Json;

namespace Migration.Core.Comparison;

/// <summary>
/// Two JSON values compared as JSON: object key order and whitespace ignored, numbers (by value), booleans and nulls
/// exact, arrays in order, strings by the text tiers (so <c>"Paris"</c> vs <c>"Paris, France"</c> is scored, not
/// simply failed). A difference of shape or of a scalar is a structural difference naming its JSON path.
/// </summary>
internal static class JsonTiers
{
    private const int MaxDepth = 64;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 256 };

    /// <summary>Parses a JSON text; null when it is not JSON.</summary>
    public static JsonDocument? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(text, ParseOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether a text looks like a JSON object or array (cheap check before parsing).</summary>
    public static bool LooksLikeJson(string? text)
    {
        var t = text.AsSpan().Trim();
        return t.Length >= 2 && ((t[0] == '{' && t[^1] == '}') || (t[0] == '[' && t[^1] == ']'));
    }

    /// <summary>
    /// Compares two parsed values; structural problems are written by <paramref name="report"/> (JSON path and what
    /// differs) and decide <see cref="Verdict.Different"/>; otherwise the worst string pair decides, or equivalent.
    /// </summary>
    public static PartResult Compare(JsonElement primary, JsonElement candidate, string path, ComparisonRun run, Action<string> report)
    {
        var problems = new List<string>();
        var worst = PartResult.Equivalent;
        Walk(primary, candidate, "$", 0, path, run, problems, ref worst);
        if (problems.Count > 0)
        {
            foreach (var p in problems)
            {
                report(p);
            }

            return PartResult.StructureDifferent;
        }

        return worst;
    }

    private static void Walk(JsonElement a, JsonElement b, string at, int depth, string path, ComparisonRun run, List<string> problems, ref PartResult worst)
    {
        if (problems.Count >= 8)
        {
            return;
        }

        var ka = Kind(a.ValueKind);
        var kb = Kind(b.ValueKind);
        if (ka != kb)
        {
            problems.Add(at + ": " + ka + " vs " + kb);
            return;
        }

        if (depth > MaxDepth)
        {
            if (!JsonElement.DeepEquals(a, b))
            {
                problems.Add(at + ": differs");
            }

            return;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var keysB = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in b.EnumerateObject())
                {
                    keysB.Add(p.Name);
                }

                foreach (var p in a.EnumerateObject())
                {
                    if (b.TryGetProperty(p.Name, out var other))
                    {
                        keysB.Remove(p.Name);
                        Walk(p.Value, other, at + "." + p.Name, depth + 1, path, run, problems, ref worst);
                    }
                    else
                    {
                        problems.Add(at + "." + p.Name + ": missing in candidate");
                    }
                }

                foreach (var extra in keysB)
                {
                    problems.Add(at + "." + extra + ": only in candidate");
                }

                break;
            case JsonValueKind.Array:
                var la = a.GetArrayLength();
                var lb = b.GetArrayLength();
                if (la != lb)
                {
                    problems.Add(at + ": " + la + " vs " + lb + " items");
                    return;
                }

                for (var i = 0; i < la; i++)
                {
                    Walk(a[i], b[i], at + "[" + i + "]", depth + 1, path, run, problems, ref worst);
                }

                break;
            case JsonValueKind.Number:
                if (!NumbersEqual(a, b))
                {
                    problems.Add(at + ": " + a.GetRawText() + " vs " + b.GetRawText());
                }

                break;
            case JsonValueKind.String:
                var sa = a.GetString();
                var sb = b.GetString();
                if (!string.Equals(sa, sb, StringComparison.Ordinal))
                {
                    worst = PartResult.Worst(worst, TextTiers.Compare(sa, sb, path + " " + at, run));
                }

                break;
            default:
                if (a.ValueKind != b.ValueKind)
                {
                    problems.Add(at + ": " + a.GetRawText() + " vs " + b.GetRawText());
                }

                break;
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "null",
    };

    private static bool NumbersEqual(JsonElement a, JsonElement b)
    {
        if (a.TryGetDecimal(out var da) && b.TryGetDecimal(out var db))
        {
            return da == db;
        }

        return a.TryGetDouble(out var fa) && b.TryGetDouble(out var fb)
            ? fa.Equals(fb)
            : string.Equals(a.GetRawText(), b.GetRawText(), StringComparison.Ordinal);
    }
}
