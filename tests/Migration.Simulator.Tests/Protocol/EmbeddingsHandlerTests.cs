using System.Buffers.Binary;
using System.Text.Json;

namespace Migration.Simulator.Tests.Protocol;

public class EmbeddingsHandlerTests
{
    [Theory]
    [InlineData("""{"model":"text-embedding-3-small","input":"caf\ud800e"}""")]
    [InlineData("""{"model":"text-embedding-3-small","input":["ok","\udc00"]}""")]
    public async Task Embeddings_LoneSurrogate_Returns400InOpenAIShape(string body)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/embeddings", body);

        Assert.Equal(400, (int)response.StatusCode);
        var error = await SimulatorClients.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("lone surrogate", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_Base64AndFloat_EncodeTheSameVector()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        var floats = await EmbedAsync(http, """{"model":"text-embedding-3-small","input":"hello","encoding_format":"float"}""");
        var base64 = await EmbedAsync(http, """{"model":"text-embedding-3-small","input":"hello","encoding_format":"base64"}""");

        var vector = floats.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String(base64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(vector, decoded);
    }

    [Fact]
    public async Task Embeddings_ArrayInput_OneVectorPerInputInOrderWithUsage()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        var answer = await EmbedAsync(http, """{"model":"text-embedding-3-small","input":["one two","three",[1,2,3]],"dimensions":8}""");

        var data = answer.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal([0, 1, 2], data.EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(data.EnumerateArray(), d => Assert.Equal(8, d.GetProperty("embedding").GetArrayLength()));
        Assert.Equal(6, answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("text-embedding-3-small", answer.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Embeddings_SameInputOnAnotherSimulator_SameVector()
    {
        await using var first = await SimulatorHost.StartAsync(SimulatorClients.FastOptions("a"));
        await using var second = await SimulatorHost.StartAsync(SimulatorClients.FastOptions("b"));
        using var a = SimulatorClients.Http(first);
        using var b = SimulatorClients.Http(second);
        const string body = """{"model":"text-embedding-3-small","input":"same text"}""";

        var left = (await EmbedAsync(a, body)).GetProperty("data")[0].GetProperty("embedding").GetRawText();
        var right = (await EmbedAsync(b, body)).GetProperty("data")[0].GetProperty("embedding").GetRawText();

        Assert.Equal(left, right);
    }

    [Theory]
    [InlineData("""{"model":"text-embedding-3-small"}""", 400, "missing_required_parameter")]
    [InlineData("""{"model":"text-embedding-3-small","input":""}""", 400, "invalid_value")]
    [InlineData("""{"model":"text-embedding-3-small","input":[]}""", 400, "invalid_value")]
    [InlineData("""{"model":"text-embedding-3-small","input":"x","dimensions":0}""", 400, "invalid_value")]
    [InlineData("""{"model":"text-embedding-3-small","input":"x","encoding_format":"hex"}""", 400, "invalid_value")]
    [InlineData("""{"model":"text-embedding-9","input":"x"}""", 404, "model_not_found")]
    public async Task Embeddings_InvalidRequest_ReturnsOpenAIError(string body, int status, string code)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/embeddings", body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await SimulatorClients.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Embeddings_MalformedJson_Returns400()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PostJsonAsync("/v1/embeddings", "{not json");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_request_error", (await SimulatorClients.ErrorAsync(response)).GetProperty("type").GetString());
    }

    private static async Task<JsonElement> EmbedAsync(HttpClient http, string body)
    {
        using var response = await http.PostJsonAsync("/v1/embeddings", body);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
