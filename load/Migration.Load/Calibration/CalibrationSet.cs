using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migration.Load.Calibration;

/// <summary>One labelled pair: two answers, whether they mean the same, and a graded score (1 same .. 0 different).</summary>
internal sealed record CalibrationPair(string Id, string Category, string Kind, string Lang, string A, string B, double Grade)
{
    /// <summary>Same meaning (grade above one half); the comparer should call it Similar or better.</summary>
    public bool Same => Grade > 0.5;
}

/// <summary>
/// The comparer's labelled evaluation set, expanded from <c>Calibration/seeds.json</c> (hand-written for this project,
/// provenance in its <c>about</c>). Every seed gives: seed-same and same-same pairs (its rewrites), seed-different and
/// same-different pairs (kind of the variant: number, negation, entity, swap, code, json, last-paragraph, topic,
/// partial), and one unrelated pair with the next seed of the same category (kind <c>unrelated</c>).
/// </summary>
internal static class CalibrationSet
{
    public const string FileName = "seeds.json";

    /// <summary>The seeds file next to the tool's binaries.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Calibration", FileName);

    public static IReadOnlyList<CalibrationPair> Load(string? path = null)
    {
        path ??= DefaultPath;
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<SeedFile>(stream) ?? throw new InvalidDataException(path + ": empty");
        return Expand(file.Seeds);
    }

    public static IReadOnlyList<CalibrationPair> Expand(IReadOnlyList<Seed> seeds)
    {
        var pairs = new List<CalibrationPair>();
        foreach (var seed in seeds)
        {
            if (seed.Same.Count == 0 && seed.Different.Count == 0)
            {
                throw new InvalidDataException($"seed '{seed.Id}' has no variants");
            }

            for (var i = 0; i < seed.Same.Count; i++)
            {
                pairs.Add(new(seed.Id + "/same" + i, seed.Category, "paraphrase", seed.Lang, seed.Text, seed.Same[i], 1.0));
                for (var j = i + 1; j < seed.Same.Count; j++)
                {
                    pairs.Add(new(seed.Id + "/same" + i + "-same" + j, seed.Category, "paraphrase", seed.Lang, seed.Same[i], seed.Same[j], 1.0));
                }
            }

            for (var d = 0; d < seed.Different.Count; d++)
            {
                var variant = seed.Different[d];
                var grade = variant.Score ?? 0.0;
                pairs.Add(new(seed.Id + "/diff" + d, seed.Category, variant.Kind, seed.Lang, seed.Text, variant.Text, grade));
                for (var i = 0; i < seed.Same.Count; i++)
                {
                    pairs.Add(new(seed.Id + "/same" + i + "-diff" + d, seed.Category, variant.Kind, seed.Lang, seed.Same[i], variant.Text, grade));
                }
            }
        }

        foreach (var group in seeds.GroupBy(s => s.Category, StringComparer.Ordinal))
        {
            var list = group.ToList();
            for (var i = 0; i + 1 < list.Count; i++)
            {
                pairs.Add(new(list[i].Id + "/unrelated", list[i].Category, "unrelated", list[i].Lang, list[i].Text, list[i + 1].Text, 0.0));
            }
        }

        return pairs;
    }

    internal sealed record SeedFile([property: JsonPropertyName("seeds")] IReadOnlyList<Seed> Seeds);

    internal sealed record Seed(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("category")] string Category,
        [property: JsonPropertyName("lang")] string Lang,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("same")] IReadOnlyList<string> Same,
        [property: JsonPropertyName("different")] IReadOnlyList<Variant> Different);

    internal sealed record Variant(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("score")] double? Score = null);
}
