using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Migration.Core.Statistics;
using OpenAI;
using OpenAI.Chat;

namespace Migration.SampleApi.Demo;

/// <summary>
/// Synthetic production traffic sent through the sample API with the official OpenAI .NET SDK: mixed models, some
/// streamed, some embeddings, most with a user id header (the canary's sticky key).
/// </summary>
internal sealed class DemoTraffic
{
    public static readonly string[] ChatModels = ["gpt-4.1", "gpt-4o-mini"];
    public const string EmbeddingModel = "text-embedding-3-small";

    private static readonly string[] Topics =
    [
        "refund policy for annual plans", "reset a forgotten password", "export invoices as CSV", "change the billing email",
        "two-factor authentication", "delete my account", "upgrade to the team plan", "API rate limits", "webhook retries",
        "data retention", "SSO with Okta", "mobile app offline mode", "shipping to Canada", "order status", "gift cards",
    ];

    private static readonly string[] Styles = ["Answer briefly:", "Explain step by step:", "In one paragraph:", "As a friendly support agent:"];

    private readonly Uri _endpoint;
    private readonly int _users;
    private long _ok;
    private long _failed;
    private long _streamed;
    private long _embeddings;

    public DemoTraffic(Uri endpoint, int users = 50)
    {
        _endpoint = endpoint;
        _users = users;
    }

    public LatencyHistogram Latency { get; } = new();

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    public long Streamed => Interlocked.Read(ref _streamed);

    public long Embeddings => Interlocked.Read(ref _embeddings);

    public long Sent => Ok + Failed;

    /// <summary>Runs <paramref name="concurrency"/> closed-loop clients until <paramref name="until"/> fires.</summary>
    public async Task RunAsync(int concurrency, CancellationToken until)
    {
        var clients = Enumerable.Range(0, _users + 1).Select(u => CreateClient(u == _users ? null : $"user-{u:D3}")).ToArray();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkerAsync(w, clients, until), CancellationToken.None));
        await Task.WhenAll(workers);
    }

    private async Task WorkerAsync(int worker, OpenAIClient[] clients, CancellationToken until)
    {
        var random = new Random(1000 + worker);
        while (!until.IsCancellationRequested)
        {
            var client = clients[random.Next(clients.Length)];
            var started = Stopwatch.GetTimestamp();
            try
            {
                var roll = random.NextDouble();
                if (roll < 0.1)
                {
                    await EmbedAsync(client, random, until);
                    Interlocked.Increment(ref _embeddings);
                }
                else
                {
                    var streamed = roll < 0.4;
                    await ChatAsync(client, random, streamed, until);
                    if (streamed)
                    {
                        Interlocked.Increment(ref _streamed);
                    }
                }

                Latency.Record(Stopwatch.GetElapsedTime(started));
                Interlocked.Increment(ref _ok);
            }
            catch (OperationCanceledException) when (until.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException or InvalidOperationException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }

    private static async Task ChatAsync(OpenAIClient client, Random random, bool streamed, CancellationToken ct)
    {
        var model = ChatModels[random.Next(ChatModels.Length)];
        var chat = client.GetChatClient(model);
        // A bounded set of prompts, so the primary's and candidate's answers to the same prompt recur.
        var prompt = $"{Styles[random.Next(Styles.Length)]} how do I handle {Topics[random.Next(Topics.Length)]}? (ticket {random.Next(40)})";
        ChatMessage[] messages = [new SystemChatMessage("You are a helpful support assistant for Acme Cloud."), new UserChatMessage(prompt)];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 120 };
        if (streamed)
        {
            await foreach (var update in chat.CompleteChatStreamingAsync(messages, options, ct))
            {
                _ = update;
            }
        }
        else
        {
            _ = await chat.CompleteChatAsync(messages, options, ct);
        }
    }

    private static async Task EmbedAsync(OpenAIClient client, Random random, CancellationToken ct)
    {
        var embeddings = client.GetEmbeddingClient(EmbeddingModel);
        _ = await embeddings.GenerateEmbeddingAsync($"Knowledge base article about {Topics[random.Next(Topics.Length)]}", cancellationToken: ct);
    }

    private OpenAIClient CreateClient(string? userId)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = _endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        };
        if (userId is not null)
        {
            options.AddPolicy(new HeaderPolicy("X-User-Id", userId), PipelinePosition.PerCall);
        }

        // The sample API authenticates its own clients its own way; the provider key never leaves the server.
        return new OpenAIClient(new ApiKeyCredential("demo-client-token"), options);
    }

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
