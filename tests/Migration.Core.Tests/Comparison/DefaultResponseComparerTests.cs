using System.Text.Json;
using Migration.Core.Comparison;
using Migration.Core.OpenAI;
using static Migration.Core.Tests.OpenAI.ChatFixtures;

namespace Migration.Core.Tests.Comparison;

public class DefaultResponseComparerTests
{
    private readonly DefaultResponseComparer _comparer = new();

    private static ProviderAnswer Chat(string? content, string? finish = "stop", TokenUsage? usage = null, params ToolCallAnswer[] tools) => new()
    {
        Status = 200,
        Kind = AnswerKind.Chat,
        Complete = true,
        Choices = [new ChoiceAnswer(0, content, finish, tools)],
        Usage = usage ?? new TokenUsage(10, 20),
    };

    private static ProviderAnswer Embedding(params float[][] vectors) => new()
    {
        Status = 200,
        Kind = AnswerKind.Embeddings,
        Complete = true,
        Embeddings = vectors,
        Usage = new TokenUsage(5, 0),
    };

    private static JsonElement Diff(ComparisonResult result)
    {
        Assert.NotNull(result.DiffSummaryJson);
        using var doc = JsonDocument.Parse(result.DiffSummaryJson);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Compare_SameContent_ExactScoreOneNoDiff()
    {
        var result = _comparer.Compare(Chat("The answer is 42."), Chat("The answer is 42."));

        Assert.Equal(new ComparisonResult(Verdict.Exact, 1.0, null) { Tier = ComparisonTier.Exact }, result);
    }

    [Fact]
    public void Compare_StreamedVsNonStreamedSameContent_Exact()
    {
        var json = ProviderAnswerReader.Read(200, Bytes(Json), "application/json", AnswerKind.Chat);
        var sse = ProviderAnswerReader.Read(200, Bytes(Sse), "text/event-stream", AnswerKind.Chat);

        var result = _comparer.Compare(json, sse);

        Assert.Equal(Verdict.Exact, result.Verdict);
        Assert.Null(result.DiffSummaryJson);
    }

    [Fact]
    public void Compare_StreamedVsNonStreamedToolCalls_Exact()
    {
        var json = ProviderAnswerReader.Read(200, Bytes(ToolJson), "application/json", AnswerKind.Chat);
        var sse = ProviderAnswerReader.Read(200, Bytes(ToolSse), "text/event-stream", AnswerKind.Chat);

        var result = _comparer.Compare(json, sse);

        Assert.Equal(new ComparisonResult(Verdict.Exact, 1.0, null) { Tier = ComparisonTier.Exact }, result);
    }

    [Theory]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("Paris  is\nthe capital.", "paris is the capital")]
    [InlineData("Ｈｅｌｌｏ　ｗｏｒｌｄ", "hello world")]
    [InlineData("ﬁne", "fine")]
    public void Compare_DiffersOnlyInCaseWhitespacePunctuationOrCompatibilityForms_Equivalent(string a, string b)
    {
        var result = _comparer.Compare(Chat(a), Chat(b));

        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(ComparisonTier.Normalized, result.Tier);
        Assert.Equal(1.0, result.Score);
        Assert.Equal(1.0, Diff(result).GetProperty("contentScore").GetDouble());
        Assert.False(result.WantsSemantic);
    }

    [Fact]
    public void Compare_ReorderedSentence_SimilarWithScore()
    {
        var result = _comparer.Compare(
            Chat("The capital of France is Paris, a city known for the Eiffel Tower and its museums."),
            Chat("Paris is the capital of France, a city known for the Eiffel Tower and its museums."));

        Assert.Equal(Verdict.Similar, result.Verdict);
        Assert.Equal(ComparisonTier.Lexical, result.Tier);
        Assert.InRange(result.Score!.Value, 0.8, 0.9999);
        Assert.Equal(Math.Round(result.Score.Value, 3), Diff(result).GetProperty("contentScore").GetDouble());
        var pair = Assert.Single(result.SemanticPairs);
        Assert.Equal("content", pair.Path);
        Assert.Equal(result.Score.Value, pair.LexicalScore);
    }

    [Fact]
    public void Compare_ShortTypo_SimilarByEditDistance()
    {
        var result = _comparer.Compare(Chat("Acknowledged"), Chat("Acknowleged"));

        Assert.Equal(Verdict.Similar, result.Verdict);
        Assert.Equal(1 - (1.0 / 12), result.Score!.Value, 6);
    }

    [Fact]
    public void Compare_UnrelatedContent_DifferentWithLowScore()
    {
        var result = _comparer.Compare(
            Chat("The capital of France is Paris, a city known for the Eiffel Tower."),
            Chat("I cannot help with that request, but I can tell you about the weather."));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.InRange(result.Score!.Value, 0, 0.5);
    }

    [Fact]
    public void Compare_ThresholdOption_MovesSimilarToDifferent()
    {
        var strict = new DefaultResponseComparer(new ComparerOptions { SimilarThreshold = 0.95 });

        var result = strict.Compare(Chat("Acknowledged"), Chat("Acknowleged"));

        Assert.Equal(Verdict.Different, result.Verdict);
    }

    [Fact]
    public void Compare_FinishReasonDiffers_DifferentWithBothReasons()
    {
        var result = _comparer.Compare(Chat("Same text", "stop"), Chat("Same text", "length"));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
        Assert.Equal(0.0, result.Score);
        Assert.Equal("""["stop","length"]""", Diff(result).GetProperty("finishReason").GetRawText());
        Assert.Empty(result.SemanticPairs);
    }

    [Fact]
    public void Compare_ToolArgumentsReorderedAndSpaced_Equivalent()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("get_weather", """{"city":"Paris","days":3,"opts":{"a":1,"b":[1,2]}}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("get_weather", """{ "opts": {"b": [1, 2], "a": 1.0}, "days": 3, "city": "Paris" }""")));

        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Null(result.DiffSummaryJson);
    }

    [Fact]
    public void Compare_ToolArgumentsDifferentValue_Different()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("get_weather", """{"city":"Paris"}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("get_weather", """{"city":"Lyon"}""")));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Lexical, result.Tier);
        Assert.Equal("arguments of get_weather differ in text", Diff(result).GetProperty("toolCalls").GetString());
        var pair = Assert.Single(result.SemanticPairs);
        Assert.Equal(("tool get_weather $.city", "Paris", "Lyon"), (pair.Path, pair.Primary, pair.Candidate));
    }

    [Fact]
    public void Compare_ToolArrayOrderMatters_Different()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", """{"ids":[1,2]}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", """{"ids":[2,1]}""")));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
        Assert.Equal("arguments of f differ: $.ids[0]: 1 vs 2; $.ids[1]: 2 vs 1", Diff(result).GetProperty("toolCalls").GetString());
    }

    [Fact]
    public void Compare_ToolNameDiffers_Different()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("get_weather", "{}")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("get_time", "{}")));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("name get_weather vs get_time", Diff(result).GetProperty("toolCalls").GetString());
    }

    [Fact]
    public void Compare_ToolCallCountDiffers_Different()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("a", "{}"), new ToolCallAnswer("b", "{}")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("a", "{}")));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("count 2 vs 1", Diff(result).GetProperty("toolCalls").GetString());
    }

    [Fact]
    public void Compare_InvalidJsonArgumentsEqualAfterTrim_Equivalent()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", "{not json")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", " {not json ")));

        Assert.Equal(Verdict.Equivalent, result.Verdict);
    }

    [Fact]
    public void Compare_ChoiceCountDiffers_Different()
    {
        var two = Chat("x") with { Choices = [new ChoiceAnswer(0, "x", "stop", []), new ChoiceAnswer(1, "y", "stop", [])] };

        var result = _comparer.Compare(Chat("x"), two);

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("[1,2]", Diff(result).GetProperty("choices").GetRawText());
    }

    [Fact]
    public void Compare_UsageDiffers_VerdictUnchangedUsageInDiff()
    {
        var result = _comparer.Compare(Chat("Same", usage: new TokenUsage(12, 40)), Chat("Same", usage: new TokenUsage(13, 38)));

        Assert.Equal(Verdict.Exact, result.Verdict);
        var usage = Diff(result).GetProperty("usage");
        Assert.Equal("[12,13]", usage.GetProperty("promptTokens").GetRawText());
        Assert.Equal("[40,38]", usage.GetProperty("completionTokens").GetRawText());
    }

    [Fact]
    public void Compare_UsageDiffersCompareUsageOff_NoDiff()
    {
        var comparer = new DefaultResponseComparer(new ComparerOptions { CompareUsage = false });

        var result = comparer.Compare(Chat("Same", usage: new TokenUsage(12, 40)), Chat("Same", usage: new TokenUsage(13, 38)));

        Assert.Null(result.DiffSummaryJson);
    }

    [Fact]
    public void Compare_CandidateServerError_ErrorNamesCandidate()
    {
        var candidate = new ProviderAnswer { Status = 500, Kind = AnswerKind.Chat, Complete = true, Error = "The server had an error" };

        var result = _comparer.Compare(Chat("x"), candidate);

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Null(result.Score);
        Assert.Null(result.Tier);
        var diff = Diff(result);
        Assert.Equal("HTTP 500: The server had an error", diff.GetProperty("error").GetProperty("candidate").GetString());
        Assert.False(diff.GetProperty("error").TryGetProperty("primary", out _));
        Assert.Equal("[200,500]", diff.GetProperty("status").GetRawText());
    }

    [Fact]
    public void Compare_PrimaryTruncatedStream_ErrorNamesPrimary()
    {
        var truncated = ProviderAnswerReader.Read(200, Bytes(Sse[..200]), "text/event-stream", AnswerKind.Chat);

        var result = _comparer.Compare(truncated, Chat("x"));

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.StartsWith(ProviderAnswerReader.TruncatedPrefix, Diff(result).GetProperty("error").GetProperty("primary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_CandidateNoResponse_Error()
    {
        var result = _comparer.Compare(Chat("x"), new ProviderAnswer { Status = 0, Error = "timeout after 30 s" });

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Equal("timeout after 30 s", Diff(result).GetProperty("error").GetProperty("candidate").GetString());
    }

    [Fact]
    public void Compare_BothSucceedDifferentStatus_Different()
    {
        var result = _comparer.Compare(Chat("x"), Chat("x") with { Status = 201 });

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("[200,201]", Diff(result).GetProperty("status").GetRawText());
    }

    [Fact]
    public void Compare_SameEmbeddings_Exact()
    {
        var result = _comparer.Compare(Embedding([0.1f, 0.2f, 0.3f]), Embedding([0.1f, 0.2f, 0.3f]));

        Assert.Equal(new ComparisonResult(Verdict.Exact, 1.0, null) { Tier = ComparisonTier.Exact }, result);
    }

    [Theory]
    [InlineData(0.001f, Verdict.Exact)]
    [InlineData(0.05f, Verdict.Equivalent)]
    [InlineData(0.4f, Verdict.Similar)]
    [InlineData(2f, Verdict.Different)]
    public void Compare_EmbeddingsPerturbed_VerdictByCosine(float delta, Verdict expected)
    {
        float[] a = [1f, 0f, 0f];
        float[] b = [1f, delta, 0f];

        var result = _comparer.Compare(Embedding(a), Embedding(b));

        var cosine = 1 / Math.Sqrt(1 + ((double)delta * delta));
        Assert.Equal(expected, result.Verdict);
        Assert.Equal(ComparisonTier.Vector, result.Tier);
        Assert.Equal(cosine, result.Score!.Value, 5);
    }

    [Fact]
    public void Compare_EmbeddingDimensionsDiffer_Different()
    {
        var result = _comparer.Compare(Embedding([1f, 0f]), Embedding([1f, 0f, 0f]));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("[2,3]", Diff(result).GetProperty("dimensions").GetRawText());
    }

    [Fact]
    public void Compare_EmbeddingsVsChat_Different()
    {
        var result = _comparer.Compare(Embedding([1f]), Chat("x"));

        Assert.Equal(Verdict.Different, result.Verdict);
    }

    [Theory]
    [InlineData("The answer is 42.", "The answer is 43.", "42", "43")]
    [InlineData("The temperature dropped to -5 degrees.", "The temperature dropped to 5 degrees.", "-5", "5")]
    [InlineData("Pi is about 3.14.", "Pi is about 314.", "3.14", "314")]
    [InlineData("The route is 5 km long.", "The route is 5 mi long.", "5 km", "5 mi")]
    [InlineData("Growth was 20% this year.", "Growth was 20 this year.", "20%", "20")]
    [InlineData("It costs $1,200 per seat.", "It costs $1,300 per seat.", "$1,200", "$1,300")]
    [InlineData("Refunds take five business days.", "Refunds take six business days.", "five", "six")]
    public void Compare_OnlyANumberSignDecimalOrUnitDiffers_DifferentNamingTheNumbers(string primary, string candidate, string primaryNumber, string candidateNumber)
    {
        var result = _comparer.Compare(Chat(primary), Chat(candidate));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
        Assert.Equal(0.0, result.Score);
        Assert.False(result.WantsSemantic);
        var numbers = Diff(result).GetProperty("numbers");
        Assert.Equal(primaryNumber, Assert.Single(numbers.GetProperty("primary").EnumerateArray()).GetString());
        Assert.Equal(candidateNumber, Assert.Single(numbers.GetProperty("candidate").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("Delivery takes 5 days.", "delivery takes 5.0 days")]
    [InlineData("We have 1,000 users.", "we have 1000 users")]
    [InlineData("Wait twenty-four hours.", "wait 24 hours")]
    [InlineData("It is -5 outside.", "it is −5 outside")]
    public void Compare_SameNumberWrittenDifferently_NotDifferentByNumbers(string primary, string candidate)
    {
        var result = _comparer.Compare(Chat(primary), Chat(candidate));

        Assert.NotEqual(ComparisonTier.Structure, result.Tier);
        Assert.False(Diff(result).TryGetProperty("numbers", out _));
    }

    [Fact]
    public void Compare_NumberedListVersusBullets_ListMarkersAreNotNumbers()
    {
        var result = _comparer.Compare(
            Chat("Steps:\n1. Open the settings page.\n2. Click Save."),
            Chat("Steps:\n- Open the settings page.\n- Click Save."));

        Assert.NotEqual(ComparisonTier.Structure, result.Tier);
        Assert.NotEqual(Verdict.Different, result.Verdict);
    }

    [Fact]
    public void Compare_CodeDiffersOnlyInWhitespace_EquivalentNotProse()
    {
        var result = _comparer.Compare(
            Chat("Use this:\n```python\ndef add(a, b):\n    return a + b\n```"),
            Chat("Use this:\n```python\ndef add(a,b):\n  return a+b\n```"));

        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(ComparisonTier.Normalized, result.Tier);
    }

    [Fact]
    public void Compare_CodeDiffersByOneToken_DifferentNamingTheBlock()
    {
        var result = _comparer.Compare(
            Chat("Use this:\n```python\ndef add(a, b):\n    return a + b\n```\nIt adds the numbers."),
            Chat("Use this:\n```python\ndef add(a, b):\n    return a - b\n```\nIt adds the numbers."));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
        Assert.Equal("code block 1 of 1 differs", Diff(result).GetProperty("code").GetString());
    }

    [Fact]
    public void Compare_CodeBlockMissingOnOneSide_Different()
    {
        var result = _comparer.Compare(Chat("Run:\n```\nmake\n```"), Chat("Run make."));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("1 vs 0 code blocks", Diff(result).GetProperty("code").GetString());
    }

    [Fact]
    public void Compare_ProseAroundEqualCode_ProseGoesToLexicalWithoutTheCode()
    {
        var result = _comparer.Compare(
            Chat("Here is the function you asked for.\n```js\nconst x = 1;\n```"),
            Chat("This is the requested function.\n```js\nconst x = 1;\n```"));

        var pair = Assert.Single(result.SemanticPairs);
        Assert.DoesNotContain("const", pair.Primary, StringComparison.Ordinal);
        Assert.DoesNotContain("const", pair.Candidate, StringComparison.Ordinal);
    }

    private static readonly ComparisonContext JsonMode = new() { ResponseFormat = ResponseFormatKind.JsonObject };

    [Fact]
    public void Compare_JsonModeKeysReordered_Equivalent()
    {
        var result = _comparer.Compare(Chat("""{"name":"Ada","age":36,"admin":true}"""), Chat("""{ "admin": true, "age": 36.0, "name": "Ada" }"""), JsonMode);

        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(ComparisonTier.Normalized, result.Tier);
    }

    [Theory]
    [InlineData("""{"age":36}""", """{"age":37}""", "$.age: 36 vs 37")]
    [InlineData("""{"admin":true}""", """{"admin":false}""", "$.admin: true vs false")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", "$.b: missing in candidate")]
    [InlineData("""{"a":[1,2]}""", """{"a":[1]}""", "$.a: 2 vs 1 items")]
    [InlineData("""{"a":"1"}""", """{"a":1}""", "$.a: string vs number")]
    public void Compare_JsonModeScalarOrShapeDiffers_DifferentNamingThePath(string primary, string candidate, string problem)
    {
        var result = _comparer.Compare(Chat(primary), Chat(candidate), JsonMode);

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
        Assert.Equal(problem, Assert.Single(Diff(result).GetProperty("json").EnumerateArray()).GetString());
    }

    [Fact]
    public void Compare_JsonModeCandidateInvalid_Different()
    {
        var result = _comparer.Compare(Chat("""{"ok":true}"""), Chat("""{"ok":true"""), JsonMode);

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("candidate content is not valid JSON", Assert.Single(Diff(result).GetProperty("json").EnumerateArray()).GetString());
    }

    [Fact]
    public void Compare_JsonModeStringValuesReworded_ScoredByTextTiersPerPath()
    {
        var result = _comparer.Compare(
            Chat("""{"city":"Paris","summary":"Paris is the capital of France and its largest city."}"""),
            Chat("""{"city":"Paris","summary":"The capital of France, and its largest city, is Paris."}"""),
            JsonMode);

        Assert.Equal(ComparisonTier.Lexical, result.Tier);
        var pair = Assert.Single(result.SemanticPairs);
        Assert.Equal("content $.summary", pair.Path);
    }

    [Fact]
    public void Compare_JsonStringWithChangedNumber_Different()
    {
        var result = _comparer.Compare(Chat("""{"note":"ships in 3 days"}"""), Chat("""{"note":"ships in 4 days"}"""), JsonMode);

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
    }

    [Fact]
    public void Compare_BothContentsJsonWithoutJsonMode_ComparedAsJson()
    {
        var result = _comparer.Compare(Chat("""{"a":1,"b":2}"""), Chat("""{"b":2,"a":1}"""));

        Assert.Equal(Verdict.Equivalent, result.Verdict);
    }

    [Fact]
    public void Compare_RequestInfoWithJsonSchema_ContextIsJsonMode()
    {
        Assert.True(OpenAIRequestReader.TryRead(
            """{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{}}}}"""u8,
            out var info));

        var context = ComparisonContext.From(info);

        Assert.Equal(ResponseFormatKind.JsonSchema, context.ResponseFormat);
    }

    [Fact]
    public void Compare_ToolArgumentNumberDiffers_DifferentNamingThePath()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("book", """{"city":"Paris","nights":3}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("book", """{"nights":4,"city":"Paris"}""")));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("arguments of book differ: $.nights: 3 vs 4", Diff(result).GetProperty("toolCalls").GetString());
    }

    [Fact]
    public void Compare_ToolArgumentStringReworded_ScoredNotFailed()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("weather", """{"city":"Paris"}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("weather", """{"city":"Paris, France"}""")));

        Assert.Equal(ComparisonTier.Lexical, result.Tier);
        Assert.InRange(result.Score!.Value, 0.01, 0.9999);
        Assert.Equal("tool weather $.city", Assert.Single(result.SemanticPairs).Path);
    }

    [Fact]
    public void Compare_ToolArgumentsInvalidOnOneSide_Different()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", """{"a":1}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", """{"a":1""")));

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal("arguments of f: candidate sent invalid JSON", Diff(result).GetProperty("toolCalls").GetString());
    }

    [Fact]
    public void Compare_OnlyCandidateRefuses_DifferentNamingTheRefusal()
    {
        var primary = Chat("Here is the summary.");
        var candidate = Chat(null) with { Choices = [new ChoiceAnswer(0, null, "stop", []) { Refusal = "I can't help with that." }] };

        var result = _comparer.Compare(primary, candidate);

        Assert.Equal(Verdict.Different, result.Verdict);
        Assert.Equal(ComparisonTier.Structure, result.Tier);
        var refusal = Diff(result).GetProperty("refusal");
        Assert.Equal(JsonValueKind.Null, refusal[0].ValueKind);
        Assert.Equal("I can't help with that.", refusal[1].GetString());
    }

    [Fact]
    public void Compare_RefusalReadFromAnswer_KeptOnTheChoice()
    {
        var answer = ProviderAnswerReader.Read(
            200,
            """{"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"No."},"finish_reason":"stop"}]}"""u8,
            "application/json",
            AnswerKind.Chat);

        Assert.Equal("No.", Assert.Single(answer.Choices).Refusal);
    }

    [Fact]
    public void Compare_LongAnswerWhoseLastParagraphDiffers_NotExactOrEquivalent()
    {
        var common = string.Join("\n\n", Enumerable.Range(0, 4).Select(i => $"Paragraph about topic {i}: the service keeps a backup of every record and restores it on request."));
        var result = _comparer.Compare(
            Chat(common + "\n\nFinally, contact support if the restore does not start."),
            Chat(common + "\n\nIn the end, bananas are a good source of potassium for athletes."));

        Assert.True(result.Verdict > Verdict.Equivalent);
        Assert.True(result.Score < 1.0);
        Assert.True(result.WantsSemantic);
    }
}
