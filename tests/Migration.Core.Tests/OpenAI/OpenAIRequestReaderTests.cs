using System.Text;
using System.Text.Json;
using Migration.Core.OpenAI;

namespace Migration.Core.Tests.OpenAI;

public class OpenAIRequestReaderTests
{
    private const string ChatRequest = """
        {"model":"gpt-4.1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi {\"model\":\"x\"}"}],
         "stream":true,"stream_options":{"include_usage":true},"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
         "temperature":0.2,"metadata":{"model":"nested-not-top-level"}}
        """;

    [Fact]
    public void TryRead_ChatRequest_ReadsTopLevelFields()
    {
        var ok = OpenAIRequestReader.TryRead(Encoding.UTF8.GetBytes(ChatRequest), out var info);

        Assert.True(ok);
        Assert.Equal("gpt-4.1", info.Model);
        Assert.True(info.Stream);
        Assert.True(info.IncludeUsage);
        Assert.Equal(2, info.MessageCount);
        Assert.True(info.HasTools);
        Assert.False(info.HasInput);
        Assert.Equal(AnswerKind.Chat, info.Kind);
    }

    [Fact]
    public void TryRead_LoneSurrogateModel_BucketedAsInvalidTextWithoutThrowing()
    {
        var ok = OpenAIRequestReader.TryRead("""{"model":"gpt-\ud800","messages":[{"role":"user","content":"hi"}]}"""u8, out var info);

        Assert.True(ok);
        Assert.Equal(ModelLabel.Other, info.Model);
        Assert.Equal(ModelLabelIssue.InvalidText, info.ModelIssue);
        Assert.Equal(1, info.MessageCount);
    }

    [Fact]
    public void TryRead_InvalidUtf8Model_BucketedWithoutThrowing()
    {
        byte[] body = [.. "{\"model\":\"gpt-"u8, 0xC3, 0x28, 0xFF, .. "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"u8];

        var ok = OpenAIRequestReader.TryRead(body, out var info);

        // Either not read as a request at all, or read with the model bucketed: never the raw bytes, never a throw.
        Assert.True(!ok || info.Model == ModelLabel.Other, $"model {info.Model}");
    }

    [Fact]
    public void TryRead_EightKilobyteRandomModel_BucketedAsTooLong()
    {
        var random = new Random(16);
        var model = new string([.. Enumerable.Range(0, 8192).Select(_ => (char)random.Next('a', 'z' + 1))]);

        var ok = OpenAIRequestReader.TryRead(Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[]}"""), out var info);

        Assert.True(ok);
        Assert.Equal(ModelLabel.Other, info.Model);
        Assert.Equal(ModelLabelIssue.TooLong, info.ModelIssue);
    }

    [Theory]
    [InlineData("gpt-4.1")]
    [InlineData("claude-3-5-sonnet@20240620")]
    [InlineData("accounts/fireworks/models/llama-v3p1-8b-instruct")]
    public void TryRead_ProviderModelNames_KeptAsSent(string model)
    {
        var ok = OpenAIRequestReader.TryRead(Encoding.UTF8.GetBytes($$"""{"model":"{{model}}"}"""), out var info);

        Assert.True(ok);
        Assert.Equal(model, info.Model);
        Assert.Equal(ModelLabelIssue.None, info.ModelIssue);
    }

    [Fact]
    public void TryRead_EmbeddingsRequest_KindEmbeddingsNoStream()
    {
        var ok = OpenAIRequestReader.TryRead("""{"input":["a","b"],"model":"text-embedding-3-small"}"""u8, out var info);

        Assert.True(ok);
        Assert.Equal("text-embedding-3-small", info.Model);
        Assert.False(info.Stream);
        Assert.False(info.IncludeUsage);
        Assert.Equal(0, info.MessageCount);
        Assert.False(info.HasTools);
        Assert.Equal(AnswerKind.Embeddings, info.Kind);
    }

    [Fact]
    public void TryRead_StreamFalseEmptyToolsNoUsageOption_AllFalse()
    {
        var ok = OpenAIRequestReader.TryRead("""{"model":"m","stream":false,"tools":[],"stream_options":{"include_usage":false},"messages":[]}"""u8, out var info);

        Assert.True(ok);
        Assert.False(info.Stream);
        Assert.False(info.HasTools);
        Assert.False(info.IncludeUsage);
        Assert.Equal(AnswerKind.Unknown, info.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"model\":\"gpt-4.1\",")]
    [InlineData("not json")]
    public void TryRead_NotAJsonObject_ReturnsFalse(string body)
    {
        Assert.False(OpenAIRequestReader.TryRead(Encoding.UTF8.GetBytes(body), out _));
    }

    [Fact]
    public void RewriteModel_ModelPresent_ReplacesOnlyTheModelValue()
    {
        var body = Encoding.UTF8.GetBytes(ChatRequest);

        var rewritten = OpenAIRequestReader.RewriteModel(body, "gpt-4.1-mini");

        var expected = ChatRequest.Replace("\"model\":\"gpt-4.1\"", "\"model\":\"gpt-4.1-mini\"", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void RewriteModel_KeepsEscapesNumbersAndWhitespaceByteForByte()
    {
        const string Body = "{ \"temperature\" : 1.50 ,\n \"model\" : \"a\\u00e9\", \"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9 \\ud83d\\ude00\"}] }";

        var rewritten = Encoding.UTF8.GetString(OpenAIRequestReader.RewriteModel(Encoding.UTF8.GetBytes(Body), "deepseek/v3\"quoted"));

        Assert.Equal(Body.Replace("\"a\\u00e9\"", "\"deepseek/v3\\u0022quoted\"", StringComparison.Ordinal), rewritten);
        using var doc = JsonDocument.Parse(rewritten);
        Assert.Equal("deepseek/v3\"quoted", doc.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void RewriteModel_NoModel_InsertsIt()
    {
        var rewritten = OpenAIRequestReader.RewriteModel("""{"input":"x"}"""u8, "m2");

        Assert.Equal("""{"model":"m2","input":"x"}""", Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void RewriteModel_EmptyObject_InsertsWithoutComma()
    {
        var rewritten = OpenAIRequestReader.RewriteModel("{ }"u8, "m2");

        Assert.Equal("""{"model":"m2" }""", Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void RewriteModel_InvalidJson_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => OpenAIRequestReader.RewriteModel("{\"model\":"u8, "m"));
    }
}
