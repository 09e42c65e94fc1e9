using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Migration.Simulator;
using Migration.TestKit;
using OpenAI;
using OpenAI.Chat;

namespace Migration.SampleApi.Tests.Upstream;

public sealed class UpstreamForwarderTests : IAsyncLifetime
{
    private const string ProviderKey = "sk-sample-provider-key-1234";
    private SimulatorHost _provider = null!;
    private SampleApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _provider = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Name = "openai", ApiKey = ProviderKey, ChunkDelayMedianMs = 25, ChunkDelayP99Ms = 30, TokensPerChunk = 2,
        });
        _api = await SampleApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = _provider.Url + "/v1",
            ["Upstream:ApiKey"] = ProviderKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task ForwardAsync_ChatThroughSdk_AnswersLikeTheProviderDirectly()
    {
        var viaApi = Client(_api.Url, "any-client-token").GetChatClient("gpt-4.1");
        var direct = Client(_provider.Url, ProviderKey).GetChatClient("gpt-4.1");
        ChatMessage[] messages = [new UserChatMessage("How do I reset my password?")];

        var a = (await viaApi.CompleteChatAsync(messages)).Value;
        var b = (await direct.CompleteChatAsync(messages)).Value;

        Assert.Equal(b.Content[0].Text, a.Content[0].Text);
        Assert.Equal(b.Usage.OutputTokenCount, a.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, a.FinishReason);
    }

    [Fact]
    public async Task ForwardAsync_StreamedChat_ChunksArriveProgressively()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _api.Url + "/v1/chat/completions")
        {
            Content = new StringContent(
                """{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Explain step by step how to export invoices as CSV"}]}""",
                Encoding.UTF8,
                "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var arrivals = new List<long>();
        string? line;
        var done = false;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                arrivals.Add(Stopwatch.GetTimestamp());
                done |= line == "data: [DONE]";
            }
        }

        Assert.True(done, "the stream must end with [DONE]");
        Assert.True(arrivals.Count >= 6, $"expected several chunks, got {arrivals.Count}");
        // The provider waits ~25 ms between chunks; were the API buffering the answer, every line would arrive at once.
        var spreadMs = Stopwatch.GetElapsedTime(arrivals[0], arrivals[^1]).TotalMilliseconds;
        var expectedMinimumMs = (arrivals.Count - 3) * 25 * 0.5;
        Assert.True(spreadMs >= expectedMinimumMs, $"chunks arrived within {spreadMs:0} ms; expected them spread over at least {expectedMinimumMs:0} ms");
    }

    [Fact]
    public async Task ForwardAsync_ProviderRejectsKey_StatusAndErrorBodyPassThrough()
    {
        await using var api = await SampleApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = _provider.Url + "/v1",
            ["Upstream:ApiKey"] = "sk-wrong-key",
        });
        using var http = new HttpClient();

        using var response = await http.PostAsync(api.Url + "/v1/chat/completions", Json("""{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("error").TryGetProperty("message", out _));
    }

    [Fact]
    public async Task ForwardAsync_RateLimited_RetryAfterHeaderPassesThrough()
    {
        _provider.Faults = new FaultSettings { Error429Rate = 1.0, RetryAfterSeconds = 7 };
        try
        {
            using var http = new HttpClient();
            using var response = await http.PostAsync(_api.Url + "/v1/chat/completions", Json("""{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}"""));

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("7", Assert.Single(response.Headers.GetValues("Retry-After")));
        }
        finally
        {
            _provider.Faults = FaultSettings.None;
        }
    }

    [Fact]
    public async Task ForwardAsync_ProviderUnreachable_Returns502WithOpenAIErrorShape()
    {
        using var refusing = new RefusedPort();
        await using var api = await SampleApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = refusing.BaseUrlV1,
        });
        using var http = new HttpClient();

        using var response = await http.PostAsync(api.Url + "/v1/embeddings", Json("""{"model":"text-embedding-3-small","input":"x"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upstream_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Healthz_Always_ReturnsOk()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(_api.Url + "/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static OpenAIClient Client(string url, string key) =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(url + "/v1"), RetryPolicy = new ClientRetryPolicy(0) });
}
