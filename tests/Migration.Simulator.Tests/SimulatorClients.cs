using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Migration.Simulator.Tests;

/// <summary>Clients for a running simulator: the official OpenAI SDK (no retries) and raw HTTP.</summary>
internal static class SimulatorClients
{
    public const string ApiKey = "sk-test";

    public static SimulatorOptions FastOptions(string name = "sim") => new()
    {
        Name = name,
        ApiKey = ApiKey,
        Models = ["gpt-4.1", "gpt-4o-mini", "text-embedding-3-small"],
        EmbeddingDimensions = 64,
    };

    public static OpenAIClientOptions SdkOptions(SimulatorHost host, TimeSpan? networkTimeout = null) => new()
    {
        Endpoint = new Uri(host.Url + "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(30),
    };

    public static ChatClient Chat(SimulatorHost host, string model = "gpt-4.1", string apiKey = ApiKey, TimeSpan? networkTimeout = null) =>
        new(model, new ApiKeyCredential(apiKey), SdkOptions(host, networkTimeout));

    public static EmbeddingClient Embeddings(SimulatorHost host, string model = "text-embedding-3-small") =>
        new(model, new ApiKeyCredential(ApiKey), SdkOptions(host));

    public static HttpClient Http(SimulatorHost host, string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static string ChatBody(string prompt, string model = "gpt-4.1", string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(prompt)}}}]{{extra}}}""";

    /// <summary>The assistant text of a non-streamed chat completion.</summary>
    public static async Task<string> ChatTextAsync(this HttpClient client, string prompt, string model = "gpt-4.1")
    {
        using var response = await client.PostJsonAsync("/v1/chat/completions", ChatBody(prompt, model));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    /// <summary>The error object of an OpenAI-shaped error body.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("error").Clone();
    }
}
