using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Migration.SampleApi.Support;
using Migration.Simulator;

namespace Migration.SampleApi.Tests.Support;

/// <summary>The support app without the harness: its endpoints build the prompt and call the provider through the SDK.</summary>
public sealed class SupportApiAppTests : IAsyncLifetime
{
    private const string ProviderKey = "sk-support-provider-key-1234";
    private SimulatorHost _provider = null!;
    private SampleApiHost _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _provider = await SimulatorHost.StartAsync(new SimulatorOptions { Name = "openai", ApiKey = ProviderKey, KeepChatRequests = 10 });
        _app = await SampleApiHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Upstream:BaseUrl"] = _provider.Url + "/v1",
                ["Upstream:ApiKey"] = ProviderKey,
                ["Upstream:Resilience:Retry:Delay"] = "00:00:00.010",
            },
            SampleMode.Outgoing);
        _http = new HttpClient { BaseAddress = new Uri(_app.Url) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Answer_Question_ProviderGetsTheAppsPromptAndTheClientTheAnswer()
    {
        using var response = await _http.PostAsJsonAsync("/api/support/answer", new { question = "How do I reset my password?", tier = "fast" });

        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<SupportAnswer>();
        Assert.False(string.IsNullOrWhiteSpace(answer!.Answer));
        Assert.Equal(SupportAssistant.FastModel, answer.Model);
        var sent = JsonDocument.Parse(Assert.Single(_provider.ChatRequests)).RootElement;
        Assert.Equal(SupportAssistant.SystemPrompt, sent.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("How do I reset my password?", sent.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Answer_Streamed_TextArrivesWhole()
    {
        using var response = await _http.PostAsJsonAsync("/api/support/answer", new { question = "What is the refund policy?", stream = true });

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
        Assert.True(JsonDocument.Parse(Assert.Single(_provider.ChatRequests)).RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Answer_ProviderFails_AppRetriesThen502ProblemDetails()
    {
        _provider.Faults = new FaultSettings { Outage = true };

        using var response = await _http.PostAsJsonAsync("/api/support/answer", new { question = "Anyone there?" });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(4, _provider.Stats.GetRouteCount(SimulatorStats.ChatRoute));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Similar_Query_AnswersTheVectorLength()
    {
        using var response = await _http.PostAsJsonAsync("/api/support/similar", new { question = "invoices" });

        response.EnsureSuccessStatusCode();
        Assert.Equal(8, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dimensions").GetInt32());
    }
}
