using System.Text.Json;
using Migration.SampleApi;

namespace Migration.IntegrationTests.Stack;

/// <summary>Sends a mix of production requests to the app and checks each got a complete, successful answer.</summary>
internal static class ProductionTraffic
{
    /// <summary>Request <paramref name="i"/> of a gateway mix: chat JSON, streamed chat, embeddings, in turn.</summary>
    public static (string Route, string Body) Mixed(int i) => (i % 3) switch
    {
        0 => (OpenAIRequests.ChatRoute, OpenAIRequests.Chat(OpenAIRequests.Prompt(i))),
        1 => (OpenAIRequests.ChatRoute, OpenAIRequests.ChatStream(OpenAIRequests.Prompt(i))),
        _ => (OpenAIRequests.EmbeddingsRoute, OpenAIRequests.Embeddings(OpenAIRequests.Prompt(i))),
    };

    /// <summary>
    /// Request <paramref name="i"/> of the same mix as the app of <paramref name="mode"/> is asked: OpenAI requests
    /// for the gateway; questions for the support app (answer, streamed answer, similar), which builds the provider
    /// requests itself.
    /// </summary>
    public static (string Route, string Body) Mixed(SampleMode mode, int i) => mode == SampleMode.Middleware ? Mixed(i) : (i % 3) switch
    {
        0 => (SupportRoutes.Answer, SupportRoutes.Question(OpenAIRequests.Prompt(i))),
        1 => (SupportRoutes.Answer, SupportRoutes.Question(OpenAIRequests.Prompt(i), stream: true)),
        _ => (SupportRoutes.Similar, SupportRoutes.Question(OpenAIRequests.Prompt(i))),
    };

    /// <summary>The mix for <paramref name="stack"/>'s app.</summary>
    public static Func<int, (string Route, string Body)> MixedFor(MigrationStack stack) => i => Mixed(stack.Options.Mode, i);

    /// <summary>Sends <paramref name="count"/> requests one after the other; each must be a complete 200.</summary>
    public static async Task SendSequentialAsync(MigrationStack stack, int count, Func<int, (string Route, string Body)>? request = null)
    {
        request ??= MixedFor(stack);
        for (var i = 0; i < count; i++)
        {
            var (route, body) = request(i);
            AssertComplete(await stack.PostAsync(route, body), body);
        }
    }

    /// <summary>Sends <paramref name="count"/> requests with <paramref name="concurrency"/> in flight; each must be a complete 200.</summary>
    public static async Task SendConcurrentAsync(MigrationStack stack, int count, int concurrency, Func<int, (string Route, string Body)>? request = null)
    {
        request ??= MixedFor(stack);
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var (route, body) = request(i);
                AssertComplete(await stack.PostAsync(route, body), body);
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// A 200 with a whole answer: a JSON body with choices or data, or an event stream ending in <c>[DONE]</c> (the
    /// gateway); a JSON answer or dimensions, or a text stream read to its end (the support app).
    /// </summary>
    public static void AssertComplete(AppResponse response, string request)
    {
        Assert.True(response.Status == 200, $"Production request answered {response.Status}: {response.Text}\nRequest: {request}");
        if (response.MediaType == "text/plain")
        {
            Assert.False(string.IsNullOrWhiteSpace(response.Text), "An empty streamed answer.");
            return;
        }

        if (response.MediaType == "text/event-stream")
        {
            Assert.EndsWith("data: [DONE]\n\n", response.Text, StringComparison.Ordinal);
            Assert.Contains("\"finish_reason\":\"stop\"", response.Text, StringComparison.Ordinal);
            return;
        }

        using var document = JsonDocument.Parse(response.Body);
        var root = document.RootElement;
        if (root.TryGetProperty("answer", out var answer))
        {
            Assert.False(string.IsNullOrWhiteSpace(answer.GetString()), "An empty answer.");
        }
        else if (root.TryGetProperty("dimensions", out var dimensions))
        {
            Assert.True(dimensions.GetInt32() > 0, "A search without a vector.");
        }
        else if (root.TryGetProperty("choices", out var choices))
        {
            Assert.False(string.IsNullOrEmpty(choices[0].GetProperty("finish_reason").GetString()));
        }
        else
        {
            Assert.True(root.GetProperty("data").GetArrayLength() > 0, "An embeddings answer without data.");
        }
    }
}
