using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using OpenAI;
using OpenAI.Chat;

namespace Migration.SampleApi.Demo;

/// <summary>
/// Clients of the gateway app: the official OpenAI SDK pointed at the app's <c>/v1</c>, one client per user (its
/// id in <c>X-User-Id</c>); the client sends the whole OpenAI request, system message included.
/// </summary>
internal sealed class GatewayClients(Uri endpoint) : IDemoClients
{
    private readonly ConcurrentDictionary<string, OpenAIClient> _clients = new(StringComparer.Ordinal);

    public async Task ChatAsync(string? user, string model, string question, bool streamed, CancellationToken cancellationToken)
    {
        var chat = ClientOf(user).GetChatClient(model);
        ChatMessage[] messages = [new SystemChatMessage("You are a helpful support assistant for Acme Cloud."), new UserChatMessage(question)];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 120 };
        if (streamed)
        {
            await foreach (var update in chat.CompleteChatStreamingAsync(messages, options, cancellationToken))
            {
                _ = update;
            }
        }
        else
        {
            _ = await chat.CompleteChatAsync(messages, options, cancellationToken);
        }
    }

    public async Task EmbedAsync(string? user, string text, CancellationToken cancellationToken) =>
        _ = await ClientOf(user).GetEmbeddingClient(DemoTraffic.EmbeddingModel).GenerateEmbeddingAsync(text, cancellationToken: cancellationToken);

    public void Dispose()
    {
    }

    private OpenAIClient ClientOf(string? user) => _clients.GetOrAdd(user ?? string.Empty, static (id, endpoint) =>
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        };
        if (id.Length > 0)
        {
            options.AddPolicy(new HeaderPolicy("X-User-Id", id), PipelinePosition.PerCall);
        }

        // The sample API authenticates its own clients its own way; the provider key never leaves the server.
        return new OpenAIClient(new ApiKeyCredential("demo-client-token"), options);
    }, endpoint);

    private sealed class HeaderPolicy(string name, string value) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
