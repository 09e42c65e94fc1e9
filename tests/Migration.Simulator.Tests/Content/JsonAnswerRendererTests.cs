using System.Text.Json;
using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Tests.Content;

public class JsonAnswerRendererTests
{
    private const string Prompt = "Explain step by step: how do I handle reset a forgotten password? (ticket 7)";

    [Fact]
    public void Render_JsonObject_ValidJsonWithTheAnswersPartsAndFigures()
    {
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(Prompt), Prompt);

        using var document = JsonDocument.Parse(JsonAnswerRenderer.Render(meaning, WordingChoices.Canonical(), null));

        var root = document.RootElement;
        Assert.Equal("Password reset", root.GetProperty("topic").GetString());
        Assert.Equal(meaning.Topic.Openings[0], root.GetProperty("summary").GetString());
        Assert.Equal(meaning.Facts.Count, root.GetProperty("key_points").GetArrayLength());
        Assert.Equal(meaning.Steps.Count, root.GetProperty("steps").GetArrayLength());
        foreach (var (figure, value) in meaning.Numbers)
        {
            Assert.Equal(figure.Value(value), root.GetProperty("figures").GetProperty(figure.Name).GetDouble());
        }
    }

    [Fact]
    public void Render_JsonObjectSeeded_SameFiguresAndArrayLengthsOtherOrderOrWording()
    {
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(Prompt), Prompt);
        var canonical = JsonAnswerRenderer.Render(meaning, WordingChoices.Canonical(), null);
        using var expected = JsonDocument.Parse(canonical);

        var seeded = Enumerable.Range(0, 20).Select(i => JsonAnswerRenderer.Render(meaning, WordingChoices.Seeded((ulong)i), null)).ToList();

        Assert.All(seeded, text =>
        {
            using var document = JsonDocument.Parse(text);
            Assert.Equal(expected.RootElement.GetProperty("figures").GetRawText(), Compact(document.RootElement.GetProperty("figures")));
            Assert.Equal(expected.RootElement.GetProperty("key_points").GetArrayLength(), document.RootElement.GetProperty("key_points").GetArrayLength());
        });
        Assert.True(seeded.Count(s => s != canonical) >= 18);
    }

    [Fact]
    public void Render_JsonSchema_FollowsTheSchema()
    {
        const string schema = """
            {"type":"object","properties":{
              "title":{"type":"string"},
              "summary":{"type":"string"},
              "steps":{"type":"array","items":{"type":"string"}},
              "link_minutes":{"type":"integer"},
              "urgent":{"type":"boolean"},
              "severity":{"type":"string","enum":["low","high"]},
              "details":{"type":"object","properties":{"note":{"type":["string","null"]},"score":{"type":"number"}}}
            },"required":["title","summary","steps","link_minutes","urgent","severity","details"],"additionalProperties":false}
            """;
        using var schemaDocument = JsonDocument.Parse(schema);
        var meaning = MeaningComposer.Compose(Fnv1a64.Hash(Prompt), Prompt);

        foreach (var choices in new[] { WordingChoices.Canonical(), WordingChoices.Seeded(3) })
        {
            using var document = JsonDocument.Parse(JsonAnswerRenderer.Render(meaning, choices, schemaDocument.RootElement));

            var root = document.RootElement;
            Assert.Equal(
                ["details", "link_minutes", "severity", "steps", "summary", "title", "urgent"],
                root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("Password reset", root.GetProperty("title").GetString());
            Assert.Equal(meaning.Steps.Count, root.GetProperty("steps").GetArrayLength());
            var linkMinutes = meaning.Numbers.Single(n => n.Figure.Name == "link_valid_minutes");
            Assert.Equal(linkMinutes.Value, root.GetProperty("link_minutes").GetInt32());
            Assert.True(root.GetProperty("urgent").GetBoolean());
            Assert.Equal("low", root.GetProperty("severity").GetString());
            Assert.Equal(JsonValueKind.String, root.GetProperty("details").GetProperty("note").ValueKind);
            Assert.Equal(JsonValueKind.Number, root.GetProperty("details").GetProperty("score").ValueKind);
        }
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
