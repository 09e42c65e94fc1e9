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

        Assert.Equal(new ComparisonResult(Verdict.Exact, 1.0, null), result);
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

        Assert.Equal(new ComparisonResult(Verdict.Exact, 1.0, null), result);
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
        Assert.Equal(1.0, result.Score);
        Assert.Equal(1.0, Diff(result).GetProperty("contentScore").GetDouble());
    }

    [Fact]
    public void Compare_ReorderedSentence_SimilarWithScore()
    {
        var result = _comparer.Compare(
            Chat("The capital of France is Paris, a city known for the Eiffel Tower and its museums."),
            Chat("Paris is the capital of France, a city known for the Eiffel Tower and its museums."));

        Assert.Equal(Verdict.Similar, result.Verdict);
        Assert.InRange(result.Score!.Value, 0.8, 0.9999);
        Assert.Equal(Math.Round(result.Score.Value, 3), Diff(result).GetProperty("contentScore").GetDouble());
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
        Assert.Equal(1.0, result.Score);
        Assert.Equal("""["stop","length"]""", Diff(result).GetProperty("finishReason").GetRawText());
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
        Assert.Equal("arguments of get_weather differ", Diff(result).GetProperty("toolCalls").GetString());
    }

    [Fact]
    public void Compare_ToolArrayOrderMatters_Different()
    {
        var result = _comparer.Compare(
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", """{"ids":[1,2]}""")),
            Chat(null, "tool_calls", null, new ToolCallAnswer("f", """{"ids":[2,1]}""")));

        Assert.Equal(Verdict.Different, result.Verdict);
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

        Assert.Equal(new ComparisonResult(Verdict.Exact, 1.0, null), result);
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
}
