using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Migration.Simulator.Content;

/// <summary>
/// Writes a <see cref="Meaning"/> as the JSON a model returns in JSON mode: for <c>json_object</c> an object with
/// the topic, a summary, the key points, the steps, the code and the figures; for <c>json_schema</c> an object
/// that follows the schema (every property, strings from the answer, numbers from its figures). A seeded rendering
/// reorders properties, rewords the strings and may indent; the numbers and the array orders never change.
/// </summary>
internal static class JsonAnswerRenderer
{
    private const int MaxDepth = 8;

    private static readonly string[] SummaryNames = ["summary", "answer", "description", "explanation", "text", "reason", "message", "content", "response"];
    private static readonly string[] TitleNames = ["title", "name", "topic", "subject", "category", "label"];

    public static string Render(Meaning meaning, WordingChoices choices, JsonElement? schema)
    {
        var reword = Rewording.Choose(choices);
        var values = new Values(meaning, choices, reword);
        var buffer = new ArrayBufferWriter<byte>(512);
        var options = new JsonWriterOptions { Indented = choices.Chance(0.5), Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            if (schema is { ValueKind: JsonValueKind.Object } s)
            {
                WriteSchemaValue(writer, s, "root", values, choices, 0);
            }
            else
            {
                WriteObject(writer, values, choices);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteObject(Utf8JsonWriter writer, Values values, WordingChoices choices)
    {
        var properties = new List<Action>
        {
            () => writer.WriteString("topic", values.Title),
            () => writer.WriteString("summary", values.Summary),
            () =>
            {
                writer.WriteStartArray("key_points");
                foreach (var point in values.Points)
                {
                    writer.WriteStringValue(point);
                }

                writer.WriteEndArray();
            },
        };
        if (values.Steps.Count > 0)
        {
            properties.Add(() =>
            {
                writer.WriteStartArray("steps");
                foreach (var step in values.Steps)
                {
                    writer.WriteStringValue(step);
                }

                writer.WriteEndArray();
            });
        }

        if (values.Code is not null)
        {
            properties.Add(() => writer.WriteString("code", values.Code));
        }

        properties.Add(() =>
        {
            writer.WriteStartObject("figures");
            foreach (var (figure, value) in values.Numbers)
            {
                writer.WriteNumber(figure.Name, figure.Value(value));
            }

            writer.WriteEndObject();
        });

        choices.Shuffle(properties);
        writer.WriteStartObject();
        foreach (var property in properties)
        {
            property();
        }

        writer.WriteEndObject();
    }

    private static void WriteSchemaValue(Utf8JsonWriter writer, JsonElement schema, string name, Values values, WordingChoices choices, int depth)
    {
        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
        {
            options[0].WriteTo(writer);
            return;
        }

        if (depth >= MaxDepth)
        {
            writer.WriteNullValue();
            return;
        }

        switch (TypeOf(schema))
        {
            case "object":
                var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.EnumerateObject().ToList()
                    : [];
                choices.Shuffle(properties);
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteSchemaValue(writer, property.Value, property.Name, values, choices, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case "array":
                var items = schema.TryGetProperty("items", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
                writer.WriteStartArray();
                var stringItems = items.ValueKind != JsonValueKind.Object || TypeOf(items) == "string";
                var count = stringItems ? values.ListFor(name).Count : Math.Min(3, Math.Max(1, values.Points.Count));
                for (var n = 0; n < count; n++)
                {
                    if (stringItems)
                    {
                        writer.WriteStringValue(values.ListFor(name)[n]);
                    }
                    else
                    {
                        WriteSchemaValue(writer, items, name, values, choices, depth + 1);
                    }
                }

                writer.WriteEndArray();
                break;
            case "integer":
                writer.WriteNumberValue((long)Math.Round(values.NextNumber(name)));
                break;
            case "number":
                writer.WriteNumberValue(values.NextNumber(name));
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(values.StringFor(name));
                break;
        }
    }

    // "type": "string" or ["string", "null"]; a schema with properties and no type is an object.
    private static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!;
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in type.EnumerateArray())
                {
                    if (t.ValueKind == JsonValueKind.String && t.GetString() != "null")
                    {
                        return t.GetString()!;
                    }
                }
            }
        }

        return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("items", out _) ? "array" : "string";
    }

    private static bool NameHas(string name, string[] words) => words.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The answer's parts as JSON values, handed out in order so repeated fields get the next fact.</summary>
    private sealed class Values
    {
        private readonly List<(Figure Figure, int Value)> _numbers;
        private int _nextPoint;
        private int _nextNumber;

        public Values(Meaning meaning, WordingChoices choices, Rewording reword)
        {
            Title = meaning.Topic.Title;
            Summary = reword.Apply(AnswerRenderer.Pick(meaning.Topic.Openings, choices));
            Points = [.. meaning.Facts.Select(f => reword.Apply(AnswerRenderer.Sentence(f, choices)))];
            Steps = [.. meaning.Steps.Select(s => reword.Apply(AnswerRenderer.Pick(s, choices)))];
            Code = meaning.Code is { } code ? AnswerRenderer.Code(code, choices.Pick(2) == 0 ? "    " : "  ") : null;
            _numbers = [.. meaning.Numbers];
        }

        public string Title { get; }

        public string Summary { get; }

        public List<string> Points { get; }

        public List<string> Steps { get; }

        public string? Code { get; }

        public IReadOnlyList<(Figure Figure, int Value)> Numbers => _numbers;

        public IReadOnlyList<string> ListFor(string name) =>
            name.Contains("step", StringComparison.OrdinalIgnoreCase) && Steps.Count > 0 ? Steps : Points;

        public string StringFor(string name)
        {
            if (NameHas(name, TitleNames))
            {
                return Title;
            }

            if (NameHas(name, SummaryNames))
            {
                return Summary;
            }

            if (Code is not null && name.Contains("code", StringComparison.OrdinalIgnoreCase))
            {
                return Code;
            }

            if (Points.Count == 0)
            {
                return Summary;
            }

            return Points[_nextPoint++ % Points.Count];
        }

        // A figure whose name shares a word with the property, else the next figure in order.
        public double NextNumber(string name)
        {
            if (_numbers.Count == 0)
            {
                return 0;
            }

            foreach (var (figure, value) in _numbers)
            {
                if (figure.Name.Split('_').Any(part => part.Length > 3 && name.Contains(part, StringComparison.OrdinalIgnoreCase)))
                {
                    return figure.Value(value);
                }
            }

            var (next, drawn) = _numbers[_nextNumber++ % _numbers.Count];
            return next.Value(drawn);
        }
    }
}
